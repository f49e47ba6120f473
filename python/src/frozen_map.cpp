// brine::frozen_map and brine::frozen_map_builder for Python.
//
// Lookups hold the GIL only to turn the key into a brine::frozen_key view of
// the Python object and the value found into Python objects; the lookup
// itself (hash, slot, entry: page faults on a cold cache) runs without it.
// A frozen_map is read-only and thread-safe, so any number of Python threads
// (and forked or spawned processes) look up at once.
#include "frozen_map.hpp"

#include "convert.hpp"
#include "numpy_types.hpp"

#include <brine/error.hpp>
#include <brine/store/frozen_map.hpp>
#include <brine/types/value.hpp>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace py = pybind11;
namespace fs = std::filesystem;

namespace brine::python {

namespace {

// --- keys ----------------------------------------------------------------------

enum class key_use { lookup, add };

[[noreturn]] void raise(PyObject* type, const std::string& message) {
    PyErr_SetString(type, message.c_str());
    throw py::error_already_set();
}

// A Python key as a frozen_key: str and bytes as views of the object (which
// the caller holds for the call), int and numpy integers by value. bool is
// an int (True is the key 1, as in a dict). A lookup with any other object,
// or with text or an integer no stored key can equal, finds nothing
// (nullopt); adding one raises TypeError, UnicodeEncodeError or OverflowError.
std::optional<frozen_key> as_key(py::handle k, key_use use) {
    PyObject* p = k.ptr();
    if (PyUnicode_Check(p)) {
        Py_ssize_t n = 0;
        const char* s = PyUnicode_AsUTF8AndSize(p, &n);  // cached in the str object
        if (!s) {
            if (use == key_use::add) throw py::error_already_set();  // a lone surrogate
            PyErr_Clear();
            return std::nullopt;
        }
        return frozen_key(std::string_view(s, static_cast<std::size_t>(n)));
    }
    if (PyBytes_Check(p))
        return frozen_key(std::span<const std::byte>(reinterpret_cast<const std::byte*>(PyBytes_AS_STRING(p)),
                                                     static_cast<std::size_t>(PyBytes_GET_SIZE(p))));
    if (PyLong_Check(p) || (PyIndex_Check(p) && py::isinstance(k, numpy_generic()))) {
        auto i = py::reinterpret_steal<py::object>(PyNumber_Index(p));
        if (i) {
            int overflow = 0;
            const long long v = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
            if (!overflow) {
                if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
                return frozen_key(static_cast<std::int64_t>(v));
            }
            if (overflow > 0) {
                const unsigned long long u = PyLong_AsUnsignedLongLong(i.ptr());
                if (!(u == static_cast<unsigned long long>(-1) && PyErr_Occurred())) return frozen_key(static_cast<std::uint64_t>(u));
            }
            PyErr_Clear();
            if (use == key_use::add)
                raise(PyExc_OverflowError, "frozen map keys are integers of at most 64 bits; " + std::string(py::str(k)).substr(0, 40) +
                                               " is not");
            return std::nullopt;
        }
        PyErr_Clear();  // a numpy scalar whose __index__ refuses (np.bool_)
    }
    if (use == key_use::add)
        raise(PyExc_TypeError, "frozen map keys are str, bytes or int, not " +
                                   std::string(py::str(py::type::handle_of(k).attr("__qualname__"))));
    return std::nullopt;
}

py::object key_to_python(const frozen_map_key& key, const std::string& file) {
    return std::visit(
        [&](const auto& k) -> py::object {
            using K = std::decay_t<decltype(k)>;
            if constexpr (std::is_same_v<K, std::string>) {
                try {
                    return string_to_python(k);
                } catch (const conversion_error& e) {
                    throw corrupt_error({file, std::nullopt}, "a key: " + e.what);
                }
            } else if constexpr (std::is_same_v<K, std::vector<std::byte>>) {
                return bytes_to_python(k);
            } else {
                return py::int_(k);
            }
        },
        key);
}

// --- values --------------------------------------------------------------------

// Values read straight from the mapping, without building an entry.
bool in_place(const frozen_record& r) {
    if (r.compressed()) return false;
    const auto k = r.kind();
    return k == node_kind::none || k == node_kind::scalar || k == node_kind::string || k == node_kind::bytes;
}

py::object record_to_python(const frozen_record& r, const frozen_key& key, const std::string& file) {
    switch (r.kind()) {
    case node_kind::scalar: return scalar_to_python(*r.as_scalar());
    case node_kind::string:
        try {
            return string_to_python(*r.as_string());
        } catch (const conversion_error& e) {
            throw corrupt_error({file, r.offset()}, "map[" + key.describe() + "]: " + e.what);
        }
    case node_kind::bytes:
        return r.is_bytearray() ? bytearray_to_python(*r.as_bytes()) : bytes_to_python(*r.as_bytes());
    default: return py::none();
    }
}

load_options map_load_options(const std::optional<std::string>& mode) {
    load_options o;
    if (!mode || *mode == "r") o.mmap = mmap_mode::read_only;
    else if (*mode == "c") o.mmap = mmap_mode::copy_on_write;
    else throw py::value_error("a frozen map's mmap_mode is 'r' (read-only arrays) or 'c' (copy-on-write arrays), not '" + *mode + "'");
    return o;
}

frozen_map open_map(const fs::path& file, const load_options& options) {
    py::gil_scoped_release nogil;
    return frozen_map::open(file, options);
}

// A mutex that a thread holding the GIL takes without blocking the other
// Python threads: if it is busy, wait for it with the GIL released. Nothing
// run under these mutexes takes the GIL, so there is no lock-order deadlock.
std::unique_lock<std::mutex> lock_releasing_gil(std::mutex& m) {
    std::unique_lock lock(m, std::try_to_lock);
    if (!lock) {
        py::gil_scoped_release nogil;
        lock.lock();
    }
    return lock;
}

// --- the map -------------------------------------------------------------------

enum class iteration { keys, values, items };

// Iterates a frozen map in file order. Holds a copy of the map (which shares
// its mapping), so it stays valid whatever happens to the Python map object.
class py_frozen_map_iterator {
public:
    py_frozen_map_iterator(const frozen_map& m, iteration what) : map_(m), what_(what) {
        py::gil_scoped_release nogil;
        it_ = map_.begin();
        end_ = map_.end();
    }
    py_frozen_map_iterator(const py_frozen_map_iterator&) = delete;  // it_ points to map_
    py_frozen_map_iterator& operator=(const py_frozen_map_iterator&) = delete;

    py::object next() {
        std::optional<frozen_map::iterator::value_type> item;
        std::optional<value> v;
        {
            py::gil_scoped_release nogil;
            std::lock_guard lock(m_);  // a Python iterator may be shared by threads
            if (it_ != end_) {
                item = *it_;
                ++it_;
                if (what_ != iteration::keys) v = item->second.value();
            }
        }
        if (!item) throw py::stop_iteration();
        if (what_ == iteration::keys) return key_to_python(item->first, map_.name());
        auto val = to_python(std::move(*v));
        if (what_ == iteration::values) return val;
        return py::make_tuple(key_to_python(item->first, map_.name()), std::move(val));
    }

private:
    frozen_map map_;
    iteration what_;
    std::mutex m_;
    frozen_map::iterator it_, end_;
};

class py_frozen_map {
public:
    py_frozen_map(const fs::path& file, const std::optional<std::string>& mmap_mode)
        : map_(open_map(file, map_load_options(mmap_mode))) {}

    // The value of `key` as Python objects; nullopt when it is absent.
    std::optional<py::object> lookup(py::handle key) const {
        const auto k = as_key(key, key_use::lookup);
        if (!k) return std::nullopt;
        std::optional<frozen_record> r;
        std::optional<value> v;
        {
            py::gil_scoped_release nogil;
            r = map_.find_record(*k);
            // Arrays are viewed in the mapping without an entry (frozen_map::get).
            if (r && r->kind() == node_kind::array) v = value(*map_.get<ndarray>(*k));
            else if (r && !in_place(*r)) v = map_.find(*k)->value();
        }
        if (!r) return std::nullopt;
        if (v) return to_python(std::move(*v));
        return record_to_python(*r, *k, map_.name());
    }

    py::object getitem(py::handle key) const {
        if (auto v = lookup(key)) return std::move(*v);
        PyErr_SetObject(PyExc_KeyError, key.ptr());
        throw py::error_already_set();
    }

    py::object get(py::handle key, py::object fallback) const {
        if (auto v = lookup(key)) return std::move(*v);
        return fallback;
    }

    bool contains(py::handle key) const {
        const auto k = as_key(key, key_use::lookup);
        if (!k) return false;
        py::gil_scoped_release nogil;
        return map_.contains(*k);
    }

    std::uint64_t size() const noexcept { return map_.size(); }
    std::uint64_t file_size() const noexcept { return map_.file_size(); }
    const std::string& name() const noexcept { return map_.name(); }

    void verify() const {
        py::gil_scoped_release nogil;
        map_.verify();
    }

    std::unique_ptr<py_frozen_map_iterator> iterate(iteration what) const {
        return std::make_unique<py_frozen_map_iterator>(map_, what);
    }

private:
    frozen_map map_;
};

// --- the builder ---------------------------------------------------------------

// Payload bytes of a value (text, bytes, arrays), counted up to `enough`.
std::size_t payload_bytes(const value& v, std::size_t enough) {
    std::size_t n = 0;
    auto count = [&](const value& x) {
        if (n < enough) n += payload_bytes(x, enough - n);
    };
    switch (v.kind()) {
    case node_kind::string: return v.as_string().size();
    case node_kind::bytes: return v.as_bytes().size();
    case node_kind::array: return v.as_array().buffer().size();
    case node_kind::list:
        for (const auto& x : v.as_list()) count(x);
        return n;
    case node_kind::dict:
        for (const auto& [k, x] : v.as_dict()) count(x);
        return n;
    case node_kind::map:
        for (const auto& [k, x] : v.as_map()) {
            count(k);
            count(x);
        }
        return n;
    default: return 0;
    }
}

// Values with this many payload bytes are written with the GIL released.
// Smaller ones go into the builder's buffer with it held: releasing it costs
// a thread switch whenever another Python thread is waiting for it.
constexpr std::size_t release_gil_above = 64 << 10;

duplicate_keys parse_duplicates(std::string s) {
    for (auto& c : s)
        if (c == '-') c = '_';
    if (s == "error") return duplicate_keys::error;
    if (s == "last_wins") return duplicate_keys::last_wins;
    throw py::value_error("on_duplicate is 'error' or 'last_wins', not '" + s + "'");
}

class py_frozen_map_builder {
public:
    py_frozen_map_builder(const fs::path& file, std::optional<std::uint64_t> memory_limit, const std::string& on_duplicate,
                          std::uint64_t compress_above, bool compress_arrays, int level, bool durable,
                          const std::optional<fs::path>& temp_dir)
        : name_(file.string()) {
        frozen_map_options o;
        if (memory_limit) o.memory_limit = *memory_limit;
        o.duplicates = parse_duplicates(on_duplicate);
        o.compress_above = compress_above;
        o.compress_arrays = compress_arrays;
        o.level = level;
        o.durable = durable;
        if (temp_dir) o.temp_dir = *temp_dir;
        py::gil_scoped_release nogil;
        builder_ = std::make_unique<frozen_map_builder>(file, o);
    }

    void add(py::handle key, py::handle obj) {
        const auto k = as_key(key, key_use::add);
        const value v = from_python(obj);  // borrows numpy arrays; destroyed after the lock, with the GIL
        const auto lock = lock_releasing_gil(m_);
        auto& b = open_builder();
        if (payload_bytes(v, release_gil_above) >= release_gil_above) {
            py::gil_scoped_release nogil;
            b.add(*k, v);
        } else {
            b.add(*k, v);
        }
    }

    // Writes the index and renames the file into place. The builder is
    // closed afterwards whether this succeeds or not (a failed finish leaves
    // no file behind).
    void finish() {
        py::gil_scoped_release nogil;
        std::lock_guard lock(m_);
        std::unique_ptr<frozen_map_builder> b = std::move(open_builder_ptr());
        added_ = b->added();
        b->finish();
    }

    // Closes without writing: the target stays as it was, temporaries go.
    void abort() {
        py::gil_scoped_release nogil;
        std::lock_guard lock(m_);
        if (builder_) added_ = builder_->added();
        builder_.reset();
    }

    std::uint64_t added() {
        const auto lock = lock_releasing_gil(m_);
        return builder_ ? builder_->added() : added_;
    }
    bool closed() {
        const auto lock = lock_releasing_gil(m_);
        return !builder_;
    }
    const std::string& name() const noexcept { return name_; }

private:
    std::unique_ptr<frozen_map_builder>& open_builder_ptr() {
        if (!builder_)
            throw error({name_, std::nullopt}, "frozen_map_builder: the builder is closed (finished, aborted or left its with block)");
        return builder_;
    }
    frozen_map_builder& open_builder() { return *open_builder_ptr(); }

    std::string name_;
    std::mutex m_;  // a frozen_map_builder is for one thread at a time
    std::unique_ptr<frozen_map_builder> builder_;
    std::uint64_t added_ = 0;
};

}  // namespace

void register_frozen_map(py::module_& m) {
    py::class_<py_frozen_map_iterator>(m, "FrozenMapIterator")
        .def("__iter__", [](py::object self) { return self; })
        .def("__next__", &py_frozen_map_iterator::next);

    py::class_<py_frozen_map>(m, "FrozenMap")
        .def(py::init<const fs::path&, const std::optional<std::string>&>(), py::arg("path"), py::arg("mmap_mode") = "r",
             "Maps a frozen map file and checks its header and trailer (O(1)).")
        .def("__getitem__", &py_frozen_map::getitem)
        .def("get", &py_frozen_map::get, py::arg("key"), py::arg("default") = py::none())
        .def("__contains__", &py_frozen_map::contains)
        .def("__len__", &py_frozen_map::size)
        .def("keys_iter", [](const py_frozen_map& m) { return m.iterate(iteration::keys); })
        .def("values_iter", [](const py_frozen_map& m) { return m.iterate(iteration::values); })
        .def("items_iter", [](const py_frozen_map& m) { return m.iterate(iteration::items); })
        .def("verify", &py_frozen_map::verify, "Reads every byte: checksums, every entry, every index slot.")
        .def_property_readonly("name", &py_frozen_map::name)
        .def_property_readonly("file_size", &py_frozen_map::file_size);

    py::class_<py_frozen_map_builder>(m, "FrozenMapBuilder")
        .def(py::init<const fs::path&, std::optional<std::uint64_t>, const std::string&, std::uint64_t, bool, int, bool,
                      const std::optional<fs::path>&>(),
             py::arg("path"), py::arg("memory_limit") = py::none(), py::arg("on_duplicate") = "error",
             py::arg("compress_above") = 0, py::arg("compress_arrays") = false, py::arg("level") = 3,
             py::arg("durable") = true, py::arg("temp_dir") = py::none())
        .def("add", &py_frozen_map_builder::add, py::arg("key"), py::arg("value"))
        .def("finish", &py_frozen_map_builder::finish)
        .def("abort", &py_frozen_map_builder::abort)
        .def_property_readonly("added", &py_frozen_map_builder::added)
        .def_property_readonly("closed", &py_frozen_map_builder::closed)
        .def_property_readonly("name", &py_frozen_map_builder::name);
}

}  // namespace brine::python
