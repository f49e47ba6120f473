#include "numpy_types.hpp"

namespace py = pybind11;

namespace brine::python {

py::dtype numpy_dtype(brine::dtype t, byte_order order) {
    static constexpr const char* codes[dtype_count] = {"b1", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8",
                                                       "f2", "f4", "f8", "c8", "c16"};
    // Built once per dtype and byte order (parsing "<f8" for every array of a
    // load costs more than the rest of wrapping it). Leaked: no Python object
    // may be destroyed after the interpreter finalizes. Callers hold the GIL.
    static py::dtype* cache[dtype_count][2] = {};
    auto& slot = cache[static_cast<std::uint8_t>(t)][order == byte_order::big];
    if (!slot) {
        const char prefix = itemsize(t) == 1 ? '|' : static_cast<char>(order);
        slot = new py::dtype(std::string(1, prefix) + codes[static_cast<std::uint8_t>(t)]);
    }
    return *slot;
}

std::optional<numpy_dtype_info> brine_dtype(const py::dtype& t) {
    // Only numpy's own builtin types: a structured or subarray dtype that
    // happens to share a kind and size is not one of brine's.
    if (t.attr("fields").ptr() != Py_None || t.attr("subdtype").ptr() != Py_None) return std::nullopt;
    const char kind = t.kind();
    const auto size = t.itemsize();
    std::optional<brine::dtype> d;
    switch (kind) {
    case 'b': if (size == 1) d = dtype::bool_; break;
    case 'i':
        d = size == 1 ? dtype::int8 : size == 2 ? dtype::int16 : size == 4 ? dtype::int32 : size == 8 ? dtype::int64 : std::optional<brine::dtype>{};
        break;
    case 'u':
        d = size == 1 ? dtype::uint8 : size == 2 ? dtype::uint16 : size == 4 ? dtype::uint32 : size == 8 ? dtype::uint64 : std::optional<brine::dtype>{};
        break;
    case 'f':
        d = size == 2 ? dtype::float16 : size == 4 ? dtype::float32 : size == 8 ? dtype::float64 : std::optional<brine::dtype>{};
        break;
    case 'c':
        d = size == 8 ? dtype::complex64 : size == 16 ? dtype::complex128 : std::optional<brine::dtype>{};
        break;
    default: break;
    }
    if (!d) return std::nullopt;
    const char order = t.byteorder();
    byte_order o = native_byte_order;
    if (order == '<') o = byte_order::little;
    else if (order == '>') o = byte_order::big;
    return numpy_dtype_info{*d, o};
}

const py::object& numpy_generic() {
    // Leaked on purpose: destroying a Python object after the interpreter
    // finalized would crash at exit.
    static const auto* generic = new py::object(py::module_::import("numpy").attr("generic"));
    return *generic;
}

}  // namespace brine::python
