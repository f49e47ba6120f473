// The `brine._brine` extension: the C++ library as Python sees it. The
// package's __init__.py adds the pure-Python parts (brine.PyObject, the
// Mapping of frozen_map, verify's raising wrapper).
//
// Every call converts between Python objects and brine::value with the GIL
// held, and runs the C++ work (files, codecs, hashing) with it released, so
// other Python threads keep running and several calls can run at once.
#include "convert.hpp"
#include "frozen_map.hpp"

#include <brine/brine.hpp>
#include <brine/interop/joblib.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace py = pybind11;
namespace fs = std::filesystem;

namespace brine::python {

namespace {

// joblib's and numpy's mmap_mode strings.
mmap_mode parse_mmap_mode(const std::optional<std::string>& mode) {
    if (!mode) return mmap_mode::none;
    if (*mode == "r") return mmap_mode::read_only;
    if (*mode == "r+") return mmap_mode::read_write;
    if (*mode == "c") return mmap_mode::copy_on_write;
    throw py::value_error("mmap_mode must be None, 'r', 'r+' or 'c', not '" + *mode + "'");
}

// As joblib does: a compressed file cannot be mapped, so it is read into
// memory with a warning rather than refused.
load_options load_options_for(const fs::path& file, const std::optional<std::string>& mode) {
    load_options o;
    o.mmap = parse_mmap_mode(mode);
    if (o.mmap == mmap_mode::none) return o;
    codec_id codec;
    {
        py::gil_scoped_release nogil;
        codec = identify(file).codec;
    }
    if (codec != codec_id::none) {
        PyErr_WarnEx(PyExc_UserWarning,
                     ("mmap_mode '" + *mode + "' is ignored: " + file.string() + " is " + std::string(info(codec).name) +
                      "-compressed and is read into memory")
                         .c_str(),
                     2);
        o.mmap = mmap_mode::none;
    }
    return o;
}

py::object load_file(const fs::path& file, const std::optional<std::string>& mmap) {
    const auto options = load_options_for(file, mmap);
    value v;
    {
        py::gil_scoped_release nogil;
        v = brine::load(file, options);
    }
    return to_python(std::move(v));
}

void dump_file(py::handle obj, const fs::path& file, std::optional<int> level, std::optional<unsigned> threads, bool durable) {
    dump_options o;
    o.level = level;
    o.threads = threads.value_or(0);
    o.durable = durable;
    const value v = from_python(obj);
    py::gil_scoped_release nogil;  // `v` is destroyed after the GIL is back
    brine::dump(v, file, o);
}

// brine::open: one archive, which brine lets several threads read at once
// (each entry read opens its own reader over shared read-only state).
using shared_archive = std::shared_ptr<const brine::archive>;

class py_entry {
public:
    py_entry(shared_archive a, brine::entry e) : archive_(std::move(a)), entry_(std::move(e)) {}

    py_entry child(const py::object& key) const {
        std::optional<brine::entry> e;
        if (PyLong_Check(key.ptr())) {
            const auto i = key.cast<long long>();
            if (i < 0) throw py::index_error("brine entries take indexes from 0; got " + std::to_string(i));
            py::gil_scoped_release nogil;
            e = entry_[static_cast<std::size_t>(i)];
        } else {
            const auto k = key.cast<std::string>();
            py::gil_scoped_release nogil;
            e = entry_[std::string_view(k)];
        }
        // brine::entry finds a value without an index entry of its own (a
        // scalar, a short string) only when read; Python expects a missing
        // key to fail here, so look now.
        {
            py::gil_scoped_release nogil;
            (void)e->kind();
        }
        return {archive_, std::move(*e)};
    }

    py::object load() const {
        value v;
        {
            py::gil_scoped_release nogil;
            v = entry_.value();
        }
        return to_python(std::move(v));
    }

    std::string kind() const {
        py::gil_scoped_release nogil;
        return std::string(name(entry_.kind()));
    }
    std::uint64_t size() const {
        py::gil_scoped_release nogil;
        return entry_.size();
    }
    std::vector<std::string> keys() const {
        py::gil_scoped_release nogil;
        return entry_.keys();
    }
    std::string path() const { return entry_.path(); }

private:
    shared_archive archive_;  // keeps the archive (input, mapping) alive with its entries
    brine::entry entry_;
};

py_entry open_file(const fs::path& file, const std::optional<std::string>& mmap) {
    const auto options = load_options_for(file, mmap);
    shared_archive a;
    {
        py::gil_scoped_release nogil;
        a = std::make_shared<const brine::archive>(file, options);
    }
    return {a, a->root()};
}

py::dict identify_file(const fs::path& file) {
    file_identity id;
    {
        py::gil_scoped_release nogil;
        id = identify(file);
    }
    py::dict d;
    d["format"] = std::string(name(id.format));
    d["codec"] = std::string(info(id.codec).name);
    d["major"] = id.major;
    d["minor"] = id.minor;
    d["file_size"] = id.file_size;
    return d;
}

// A problem in the file is a report, whatever stage finds it (brine::verify
// throws for a header it cannot read at all); only a missing or unreadable
// file raises.
verify_report verify_file(const fs::path& file, std::optional<unsigned> threads) {
    py::gil_scoped_release nogil;
    try {
        return verify(file, threads.value_or(0));
    } catch (const io_error&) {
        throw;
    } catch (const error& e) {
        verify_report r;
        r.ok = false;
        r.path = "root";
        r.offset = e.offset();
        r.message = e.what();
        return r;
    }
}

py::object joblib_load_file(const fs::path& file, const std::optional<std::string>& mmap) {
    const auto options = load_options_for(file, mmap);
    value v;
    {
        py::gil_scoped_release nogil;
        v = joblib::load(file, options);
    }
    return to_python(std::move(v));
}

void joblib_dump_file(py::handle obj, const fs::path& file, std::optional<std::string> codec, std::optional<int> level,
                      std::optional<unsigned> threads, int protocol) {
    joblib::dump_options o;
    if (codec) {
        o.codec = codec_from_name(*codec);
        if (!o.codec) throw py::value_error("unknown codec '" + *codec + "'");
    }
    o.level = level;
    o.threads = threads.value_or(0);
    o.protocol = protocol;
    const value v = from_python(obj);
    py::gil_scoped_release nogil;
    joblib::dump(v, file, o);
}

}  // namespace

}  // namespace brine::python

PYBIND11_MODULE(_brine, m) {
    using namespace brine::python;
    m.doc() = "brine: one file per object tree, standard codecs, zero-copy mapped numpy arrays";

    // brine::error and its kinds; catching brine.Error catches them all. The
    // message is the C++ what(): file, offset and what was expected.
    static py::exception<brine::error> error(m, "Error", PyExc_ValueError);
    static py::exception<brine::io_error> io_error(m, "IOError", error.ptr());
    static py::exception<brine::format_error> format_error(m, "FormatError", error.ptr());
    static py::exception<brine::truncated_error> truncated_error(m, "TruncatedError", format_error.ptr());
    static py::exception<brine::corrupt_error> corrupt_error(m, "CorruptError", error.ptr());
    static py::exception<brine::limit_error> limit_error(m, "LimitError", error.ptr());
    static py::exception<brine::type_error> type_error(m, "TypeError", error.ptr());
    static py::exception<brine::unsupported_error> unsupported_error(m, "UnsupportedError", error.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const brine::truncated_error& e) {
            truncated_error(e.what());
        } catch (const brine::format_error& e) {
            format_error(e.what());
        } catch (const brine::io_error& e) {
            io_error(e.what());
        } catch (const brine::corrupt_error& e) {
            corrupt_error(e.what());
        } catch (const brine::limit_error& e) {
            limit_error(e.what());
        } catch (const brine::type_error& e) {
            type_error(e.what());
        } catch (const brine::unsupported_error& e) {
            unsupported_error(e.what());
        } catch (const brine::error& e) {
            error(e.what());
        }
    });

    m.def("dump", &dump_file, py::arg("obj"), py::arg("path"), py::arg("level") = py::none(),
          py::arg("threads") = py::none(), py::arg("durable") = true,
          "Writes obj to path; the codec comes from the extension (.gz, .zst, ...). Atomic.");
    m.def("load", &load_file, py::arg("path"), py::arg("mmap_mode") = py::none(),
          "Reads a whole brine file. mmap_mode None | 'r' | 'r+' | 'c' maps arrays in place.");
    m.def("open", &open_file, py::arg("path"), py::arg("mmap_mode") = py::none(),
          "Opens a brine file lazily: index it, then .load() one entry.");
    m.def("identify", &identify_file, py::arg("path"));
    m.def("verify_report", &verify_file, py::arg("path"), py::arg("threads") = py::none());
    m.def("joblib_load", &joblib_load_file, py::arg("path"), py::arg("mmap_mode") = py::none());
    m.def("joblib_dump", &joblib_dump_file, py::arg("obj"), py::arg("path"), py::arg("codec") = py::none(),
          py::arg("level") = py::none(), py::arg("threads") = py::none(), py::arg("protocol") = 4);

    py::class_<py_entry>(m, "Entry")
        .def("__getitem__", &py_entry::child)
        .def("load", &py_entry::load, "Reads this entry (only this entry) into Python objects.")
        .def_property_readonly("kind", &py_entry::kind)
        .def_property_readonly("path", &py_entry::path)
        .def("keys", &py_entry::keys)
        .def("__len__", &py_entry::size)
        .def("__repr__", [](const py_entry& e) { return "<brine entry " + e.path() + " (" + e.kind() + ")>"; });

    register_frozen_map(m);

    py::class_<brine::verify_report>(m, "VerifyReport")
        .def_readonly("ok", &brine::verify_report::ok)
        .def_readonly("path", &brine::verify_report::path)
        .def_readonly("offset", &brine::verify_report::offset)
        .def_readonly("message", &brine::verify_report::message)
        .def_property_readonly("codec", [](const brine::verify_report& r) { return std::string(brine::info(r.codec).name); })
        .def_readonly("arrays", &brine::verify_report::arrays)
        .def_readonly("array_bytes", &brine::verify_report::array_bytes)
        .def_readonly("records", &brine::verify_report::records)
        .def("__bool__", [](const brine::verify_report& r) { return r.ok; })
        .def("__repr__", [](const brine::verify_report& r) {
            return r.ok ? "<brine verify: ok, " + std::to_string(r.records) + " records, " + std::to_string(r.arrays) + " arrays>"
                        : "<brine verify: " + r.message + ">";
        });
}
