#include "numpy_types.hpp"

namespace py = pybind11;

namespace brine::python {

py::dtype numpy_dtype(const array_meta& meta) {
    const auto t = meta.dtype;
    const auto order = meta.order;
    if (has_time_unit(t))  // units are many; these are rare enough to parse each time
        return py::dtype(std::string(1, static_cast<char>(order)) + std::string(info(t).numpy_code) + "[" + unit_text(meta.unit) + "]");
    if (has_width(t))  // so are widths
        return py::dtype(std::string(1, itemsize(t) == 1 ? '|' : static_cast<char>(order)) + std::string(info(t).numpy_code) +
                         std::to_string(meta.width));
    // Built once per dtype and byte order (parsing "<f8" for every array of a
    // load costs more than the rest of wrapping it). Leaked: no Python object
    // may be destroyed after the interpreter finalizes. Callers hold the GIL.
    static py::dtype* cache[dtype_count][2] = {};
    auto& slot = cache[static_cast<std::uint8_t>(t)][order == byte_order::big];
    if (!slot) {
        const char prefix = itemsize(t) == 1 ? '|' : static_cast<char>(order);
        slot = new py::dtype(std::string(1, prefix) + std::string(info(t).numpy_code));
    }
    return *slot;
}

std::optional<numpy_dtype_info> brine_dtype(const py::dtype& t) {
    // Only numpy's own builtin types: a structured or subarray dtype that
    // happens to share a kind and size is not one of brine's.
    if (t.attr("fields").ptr() != Py_None || t.attr("subdtype").ptr() != Py_None) return std::nullopt;
    const char kind = t.kind();
    const auto size = static_cast<std::size_t>(t.itemsize());
    if (kind == 'S' || kind == 'U') {
        // numpy's 'U5' is 20 bytes. An unsized dtype ('U0') has no array form.
        const auto type = kind == 'U' ? dtype::str : dtype::bytes;
        if (size == 0 || size % itemsize(type) != 0 || size > max_string_itemsize) return std::nullopt;
        const byte_order o = t.byteorder() == '>' ? byte_order::big : t.byteorder() == '<' ? byte_order::little : native_byte_order;
        return numpy_dtype_info{type, type == dtype::bytes ? native_byte_order : o, {}, static_cast<std::uint32_t>(size / itemsize(type))};
    }
    for (const auto& i : dtype_infos) {
        if (i.numpy_code[0] != kind || i.itemsize != size) continue;
        const char order = t.byteorder();
        const byte_order o = order == '<' ? byte_order::little : order == '>' ? byte_order::big : native_byte_order;
        numpy_dtype_info found{i.code, o};
        if (has_time_unit(i.code)) {
            // "<M8[ns]": the unit between the brackets, "generic" without them.
            const std::string text = py::str(t.attr("str"));
            const auto open = text.find('[');
            const auto unit = parse_unit(open == std::string::npos ? "" : std::string_view(text).substr(open + 1, text.size() - open - 2));
            if (!unit) return std::nullopt;
            found.unit = *unit;
        }
        return found;
    }
    return std::nullopt;  // strings, objects, datetimes, long double...
}

const py::object& numpy_generic() {
    // Leaked on purpose: destroying a Python object after the interpreter
    // finalized would crash at exit.
    static const auto* generic = new py::object(py::module_::import("numpy").attr("generic"));
    return *generic;
}

}  // namespace brine::python
