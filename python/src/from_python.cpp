#include "convert.hpp"
#include "numpy_types.hpp"

#include <brine/error.hpp>
#include <brine/value/object.hpp>

#include <pybind11/numpy.h>

#include <memory>
#include <string>

namespace py = pybind11;

namespace brine::python {

namespace {

[[noreturn]] void fail(std::string what) { throw conversion_error{{}, std::move(what)}; }

std::string type_name(py::handle obj) { return py::str(py::type::handle_of(obj).attr("__qualname__")); }

std::string key_text(py::handle key) {
    try {
        std::string r = py::repr(key);
        if (r.size() > 60) r = r.substr(0, 57) + "...";
        return "[" + r + "]";
    } catch (const py::error_already_set&) {
        return "[<key>]";
    }
}

// The numpy array keeps its memory: the buffer holds a reference, dropped
// under the GIL whichever thread lets go of the value last.
io::buffer borrow(py::array arr) {
    auto* data = static_cast<std::byte*>(const_cast<void*>(arr.data()));
    const auto nbytes = static_cast<std::size_t>(arr.nbytes());
    std::shared_ptr<const void> owner(arr.release().ptr(), [](const void* p) {
        py::gil_scoped_acquire gil;
        Py_DECREF(const_cast<PyObject*>(static_cast<const PyObject*>(p)));
    });
    return io::buffer(std::move(owner), data, nbytes, false, false);
}

value from_array(py::array arr) {
    const auto info = brine_dtype(arr.dtype());
    if (!info) fail("numpy dtype '" + std::string(py::str(arr.dtype().attr("str"))) + "' is not one brine stores");
    const auto flags = arr.flags();
    const bool c = flags & py::array::c_style, f = flags & py::array::f_style;
    if (!c && !f) arr = py::array::ensure(arr, py::array::c_style | py::array::forcecast);  // a copy in C order
    std::vector<std::uint64_t> shape;
    for (py::ssize_t i = 0; i < arr.ndim(); ++i) shape.push_back(static_cast<std::uint64_t>(arr.shape(i)));
    auto meta = array_meta::contiguous_of(std::move(*info), std::move(shape), c || !f ? memory_order::c : memory_order::fortran);
    return ndarray(std::move(meta), borrow(std::move(arr)));
}

class converter {
public:
    explicit converter(std::uint32_t max_depth) : max_depth_(max_depth) {}

    value convert(py::handle obj, std::uint32_t depth) {
        if (obj.is_none()) return none;
        PyObject* p = obj.ptr();
        if (PyBool_Check(p)) return value(p == Py_True);
        if (PyFloat_CheckExact(p)) return value(PyFloat_AS_DOUBLE(p));
        if (PyUnicode_Check(p)) return value(utf8(p));
        if (PyLong_Check(p)) return integer(p);
        if (py::isinstance<py::array>(obj)) return from_array(py::reinterpret_borrow<py::array>(obj));
        // numpy.bytes_ (like numpy.str_, a str above) is the bytes it holds.
        if (PyBytes_Check(p)) {
            const auto* b = reinterpret_cast<const std::byte*>(PyBytes_AS_STRING(p));
            return value(bytes(b, b + PyBytes_GET_SIZE(p)));
        }
        if (PyByteArray_Check(p)) {  // saved under its own tag (format 1.3): Python gets a bytearray back
            const auto* b = reinterpret_cast<const std::byte*>(PyByteArray_AS_STRING(p));
            return value::bytearray(bytes(b, b + PyByteArray_GET_SIZE(p)));
        }
        // numpy scalars before float and complex: np.float64 is a float.
        if (py::isinstance(obj, numpy_generic())) {
            if (!brine_dtype(py::reinterpret_borrow<py::object>(obj).attr("dtype")))
                fail("numpy scalar of dtype '" + std::string(py::str(obj.attr("dtype").attr("str"))) + "' is not one brine stores");
            return from_array(py::array(py::module_::import("numpy").attr("asarray")(obj)));
        }
        if (PyFloat_Check(p)) return value(PyFloat_AsDouble(p));
        if (PyComplex_Check(p)) return value(std::complex<double>(PyComplex_RealAsDouble(p), PyComplex_ImagAsDouble(p)));
        if (PyList_Check(p) || PyTuple_Check(p)) return sequence(obj, depth);
        if (PyDict_Check(p)) return mapping(p, depth);
        if (py::isinstance(obj, python_object_class())) return python_object(obj, depth);
        fail("a Python " + type_name(obj) + " is not a type brine stores (None, bool, int, float, complex, str, bytes, "
             "list, tuple, dict, numpy arrays and scalars)");
    }

private:
    static std::string utf8(PyObject* s) {
        Py_ssize_t n = 0;
        const char* c = PyUnicode_AsUTF8AndSize(s, &n);
        if (!c) {
            PyErr_Clear();
            fail("a str that is not valid Unicode (a lone surrogate?) cannot be stored as UTF-8");
        }
        return std::string(c, static_cast<std::size_t>(n));
    }

    static value integer(PyObject* p) {
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(p, &overflow);
        if (!overflow) {
            if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
            return value(static_cast<std::int64_t>(v));
        }
        if (overflow > 0) {
            const unsigned long long u = PyLong_AsUnsignedLongLong(p);
            if (!(u == static_cast<unsigned long long>(-1) && PyErr_Occurred())) return value(static_cast<std::uint64_t>(u));
            PyErr_Clear();
        }
        fail("int " + std::string(py::str(p)).substr(0, 40) + " does not fit in 64 bits");
    }

    static py::handle python_object_class() {
        // Kept for the interpreter's life (a static py::object would be released after it).
        static const py::handle cls = py::object(py::module_::import("brine").attr("PyObject")).release();
        return cls;
    }

    // A brine.PyObject (from joblib_load) back into the object node it came
    // from, so that it is dumped or written to a joblib file again as it was.
    value python_object(py::handle obj, std::uint32_t depth) {
        enter(depth);
        object o(py::cast<std::string>(obj.attr("module")), py::cast<std::string>(obj.attr("qualname")), build_kind::reduce);
        const auto how = py::cast<std::string>(obj.attr("build"));
        bool known = false;
        for (auto b : {build_kind::global, build_kind::reduce, build_kind::newobj, build_kind::newobj_ex, build_kind::inst, build_kind::obj})
            if (name(b) == how) {
                o.build = b;
                known = true;
            }
        if (!known) fail("brine.PyObject.build '" + how + "' is not one of GLOBAL, REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ");
        auto part = [&](const char* part_name) {
            try {
                return convert(obj.attr(part_name), depth + 1);
            } catch (conversion_error& e) {
                e.path = "." + std::string(part_name) + e.path;
                throw;
            }
        };
        auto args = part("args"), kwargs = part("kwargs"), items = part("listitems"), dict_items = part("dictitems");
        o.args = std::move(args.as_list());
        if (kwargs.is_dict()) o.kwargs = std::move(kwargs.as_dict());
        else if (!kwargs.is_map() || !kwargs.as_map().empty()) fail("brine.PyObject.kwargs must have str keys");
        o.items = std::move(items.as_list());
        if (dict_items.is_map()) o.dict_items = std::move(dict_items.as_map());
        else for (auto& [k, v] : dict_items.as_dict()) o.dict_items.emplace_back(value(k), std::move(v));
        o.has_state = py::cast<bool>(obj.attr("has_state"));
        if (o.has_state) o.state = part("state");
        return value(std::move(o));
    }

    void enter(std::uint32_t depth) const {
        if (depth >= max_depth_)
            fail("nesting deeper than " + std::to_string(max_depth_) + " levels (does a container hold itself?)");
    }

    value sequence(py::handle obj, std::uint32_t depth) {
        enter(depth);
        const bool is_tuple = PyTuple_Check(obj.ptr());
        // A list may change size if a converted element's code runs (it does
        // not: nothing here calls back into Python code on the elements), but
        // read through the sequence protocol with bounds each time anyway.
        list items;
        const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(obj.ptr()));
        items.reserve(n);
        for (std::size_t i = 0; i < n && i < static_cast<std::size_t>(PySequence_Fast_GET_SIZE(obj.ptr())); ++i) {
            try {
                items.push_back(convert(PySequence_Fast_GET_ITEM(obj.ptr(), static_cast<Py_ssize_t>(i)), depth + 1));
            } catch (conversion_error& e) {
                e.path = "[" + std::to_string(i) + "]" + e.path;
                throw;
            }
        }
        return is_tuple ? value::tuple(std::move(items)) : value(std::move(items));
    }

    value mapping(PyObject* d, std::uint32_t depth) {
        enter(depth);
        PyObject *k = nullptr, *v = nullptr;
        Py_ssize_t pos = 0;
        bool all_str = true;
        while (PyDict_Next(d, &pos, &k, &v))
            if (!PyUnicode_Check(k)) {
                all_str = false;
                break;
            }
        pos = 0;
        if (all_str) {
            dict out;
            out.reserve(static_cast<std::size_t>(PyDict_GET_SIZE(d)));
            while (PyDict_Next(d, &pos, &k, &v)) {
                try {
                    auto& slot = out.emplace_back(utf8(k));  // Python keys are unique already
                    slot = convert(v, depth + 1);
                } catch (conversion_error& e) {
                    e.path = key_text(k) + e.path;
                    throw;
                }
            }
            return out;
        }
        map out;
        out.reserve(static_cast<std::size_t>(PyDict_GET_SIZE(d)));
        while (PyDict_Next(d, &pos, &k, &v)) {
            try {
                auto key = convert(k, depth + 1);
                out.emplace_back(std::move(key), convert(v, depth + 1));
            } catch (conversion_error& e) {
                e.path = key_text(k) + e.path;
                throw;
            }
        }
        return out;
    }

    std::uint32_t max_depth_;
};

}  // namespace

value from_python(py::handle obj, std::uint32_t max_depth) {
    try {
        return converter(max_depth).convert(obj, 0);
    } catch (conversion_error& e) {
        throw unsupported_error({"<python object>", std::nullopt}, "root" + e.path + ": " + e.what);
    }
}

}  // namespace brine::python
