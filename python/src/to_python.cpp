#include "convert.hpp"
#include "numpy_types.hpp"

#include <brine/error.hpp>
#include <brine/value/object.hpp>

#include <pybind11/complex.h>
#include <pybind11/numpy.h>

#include <string>

namespace py = pybind11;

namespace brine::python {

namespace {

py::object steal_or_throw(PyObject* p) {
    if (!p) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(p);
}

}  // namespace

py::object scalar_to_python(const scalar& s) {
    switch (kind(s.type())) {
    case dtype_kind::boolean: return py::bool_(s.as<bool>());
    case dtype_kind::signed_int: return steal_or_throw(PyLong_FromLongLong(s.as<std::int64_t>()));
    case dtype_kind::unsigned_int: return steal_or_throw(PyLong_FromUnsignedLongLong(s.as<std::uint64_t>()));
    case dtype_kind::floating: return steal_or_throw(PyFloat_FromDouble(s.as<double>()));
    case dtype_kind::complex: {
        const auto c = s.as<std::complex<double>>();
        return steal_or_throw(PyComplex_FromDoubles(c.real(), c.imag()));
    }
    case dtype_kind::datetime:
    case dtype_kind::timedelta: {
        // numpy.datetime64(ticks, "15m"); the smallest int64 is NaT there too.
        const char* type = kind(s.type()) == dtype_kind::datetime ? "datetime64" : "timedelta64";
        return py::module_::import("numpy").attr(type)(s.as<std::int64_t>(), unit_text(s.unit()));
    }
    case dtype_kind::string: case dtype_kind::record: break;  // never a scalar's dtype
    }
    return py::none();
}

py::object string_to_python(std::string_view utf8) {
    PyObject* o = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "strict");
    if (!o) {
        PyErr_Clear();
        throw conversion_error{{}, "a string that is not valid UTF-8"};
    }
    return py::reinterpret_steal<py::object>(o);
}

py::object bytes_to_python(std::span<const std::byte> b) {
    return steal_or_throw(PyBytes_FromStringAndSize(reinterpret_cast<const char*>(b.data()), static_cast<Py_ssize_t>(b.size())));
}

py::object bytearray_to_python(std::span<const std::byte> b) {
    return steal_or_throw(PyByteArray_FromStringAndSize(reinterpret_cast<const char*>(b.data()), static_cast<Py_ssize_t>(b.size())));
}

namespace {

// A numpy view of the ndarray's bytes. The capsule owns a copy of the
// ndarray (which shares its bytes, heap or mapping), so the memory lives
// exactly as long as the numpy array and every view of it.
py::object array_to_python(ndarray a) {
    const auto& meta = a.meta();
    std::vector<py::ssize_t> shape(meta.shape.begin(), meta.shape.end());
    std::vector<py::ssize_t> strides(meta.strides.begin(), meta.strides.end());
    const bool writable = a.writable();
    auto* data = a.buffer().data();
    auto* held = new ndarray(std::move(a));
    py::capsule base(held, [](void* p) { delete static_cast<ndarray*>(p); });
    py::array out(numpy_dtype(meta), std::move(shape), std::move(strides), data, base);
    if (!writable) py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    if (meta.shape.empty()) return out[py::tuple()];  // a 0-d array was a numpy scalar
    return out;
}

class converter {
public:
    py::object convert(value& v) {
        switch (v.kind()) {
        case node_kind::none: return py::none();
        case node_kind::scalar: return scalar_to_python(v.as_scalar());
        case node_kind::string: return string_to_python(v.as_string());
        case node_kind::bytes:
            return v.is_bytearray() ? bytearray_to_python(v.as_bytes()) : bytes_to_python(v.as_bytes());
        case node_kind::list: return sequence(v);
        case node_kind::dict: {
            py::dict out;
            for (auto& [key, item] : v.as_dict()) {
                PyObject* k = PyUnicode_DecodeUTF8(key.data(), static_cast<Py_ssize_t>(key.size()), "strict");
                if (!k) {
                    PyErr_Clear();
                    throw conversion_error{{}, "a dict key that is not valid UTF-8"};
                }
                auto key_obj = py::reinterpret_steal<py::object>(k);
                try {
                    auto item_obj = convert(item);
                    if (PyDict_SetItem(out.ptr(), key_obj.ptr(), item_obj.ptr()) != 0) throw py::error_already_set();
                } catch (conversion_error& e) {
                    e.path = "['" + key + "']" + e.path;
                    throw;
                }
            }
            return out;
        }
        case node_kind::map: {
            py::dict out;
            auto& entries = v.as_map();
            for (std::size_t i = 0; i < entries.size(); ++i) {
                try {
                    auto key = hashable(convert(entries[i].first));
                    auto item = convert(entries[i].second);
                    if (PyDict_SetItem(out.ptr(), key.ptr(), item.ptr()) != 0) {
                        PyErr_Clear();
                        throw conversion_error{{}, "a map key that Python cannot hash (" + entries[i].first.describe() + ")"};
                    }
                } catch (conversion_error& e) {
                    e.path = "[#" + std::to_string(i) + "]" + e.path;
                    throw;
                }
            }
            return out;
        }
        case node_kind::array: return array_to_python(std::move(v.as_array()));
        case node_kind::object: return python_object(v.as_object());
        }
        throw conversion_error{{}, "a value of unknown kind " + v.describe()};
    }

private:
    // A Python object recorded as data becomes a brine.PyObject: named, never
    // imported. The tuple stand-in of pickles (builtins.tuple(list)) is a tuple.
    py::object python_object(object& o) {
        if (o.is_tuple()) {
            value t = value::tuple(std::move(o.args[0].as_list()));
            return sequence(t);
        }
        value args = value::tuple(std::move(o.args)), kwargs(std::move(o.kwargs)), items(std::move(o.items)),
              dict_items(std::move(o.dict_items));
        auto part = [&](const char* name, value& v) {
            try {
                return convert(v);
            } catch (conversion_error& e) {
                e.path = "." + std::string(name) + e.path;
                throw;
            }
        };
        // Kept for the interpreter's life (a static py::object would be released after it).
        static const py::handle holder = py::object(py::module_::import("brine").attr("PyObject")).release();
        return holder(o.module, o.qualname, part("args", args), part("kwargs", kwargs),
                      o.has_state ? part("state", o.state) : py::none(), part("listitems", items),
                      part("dictitems", dict_items), py::arg("build") = std::string(name(o.build)),
                      py::arg("has_state") = o.has_state);
    }

    py::object sequence(value& v) {
        auto& items = v.as_list();
        const auto n = static_cast<Py_ssize_t>(items.size());
        const bool tuple = v.is_tuple();
        auto out = steal_or_throw(tuple ? PyTuple_New(n) : PyList_New(n));
        for (Py_ssize_t i = 0; i < n; ++i) {
            try {
                auto item = convert(items[static_cast<std::size_t>(i)]).release().ptr();  // stolen by SET_ITEM
                if (tuple) PyTuple_SET_ITEM(out.ptr(), i, item);
                else PyList_SET_ITEM(out.ptr(), i, item);
            } catch (conversion_error& e) {
                e.path = "[" + std::to_string(i) + "]" + e.path;
                throw;
            }
        }
        return out;
    }

    // C++ map keys that are lists (a std::map<std::vector<int>, T>) become
    // tuples, so that Python can hash them.
    static py::object hashable(py::object key) {
        if (PyList_Check(key.ptr())) {
            const auto n = PyList_GET_SIZE(key.ptr());
            auto t = steal_or_throw(PyTuple_New(n));
            for (Py_ssize_t i = 0; i < n; ++i) {
                auto item = hashable(py::reinterpret_borrow<py::object>(PyList_GET_ITEM(key.ptr(), i)));
                PyTuple_SET_ITEM(t.ptr(), i, item.release().ptr());
            }
            return t;
        }
        return key;
    }
};

}  // namespace

py::object to_python(value&& v) {
    try {
        return converter().convert(v);
    } catch (conversion_error& e) {
        throw corrupt_error({"<loaded value>", std::nullopt}, "root" + e.path + ": " + e.what);
    }
}

}  // namespace brine::python
