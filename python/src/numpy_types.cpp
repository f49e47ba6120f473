#include "numpy_types.hpp"

namespace py = pybind11;

namespace brine::python {

namespace {

// A record as numpy's dict form: names, formats ((dtype, shape) for a
// sub-array field), offsets and itemsize, which says every layout.
py::dtype record_dtype(const element_type& t) {
    py::list names, formats, offsets;
    for (const auto& f : t.fields) {
        names.append(py::str(f.name));
        auto format = numpy_dtype(f.type);
        if (f.shape.empty()) formats.append(format);
        else {
            py::tuple shape(f.shape.size());
            for (std::size_t i = 0; i < f.shape.size(); ++i) shape[i] = py::int_(f.shape[i]);
            formats.append(py::make_tuple(format, shape));
        }
        offsets.append(py::int_(f.offset));
    }
    py::dict spec;
    spec["names"] = names;
    spec["formats"] = formats;
    spec["offsets"] = offsets;
    spec["itemsize"] = py::int_(t.width);
    return py::dtype::from_args(spec);
}

byte_order order_of(const py::dtype& t) {
    const char c = t.byteorder();
    return c == '>' ? byte_order::big : c == '<' ? byte_order::little : native_byte_order;
}

std::optional<element_type> record_type(const py::dtype& t) {
    element_type r;
    r.dtype = dtype::record;
    const auto size = static_cast<std::uint64_t>(t.itemsize());
    if (size > max_record_itemsize) return std::nullopt;
    r.width = static_cast<std::uint32_t>(size);
    if (t.attr("names").is_none()) return r;  // numpy's plain void, 'V6'
    const py::dict fields = t.attr("fields");
    for (const auto name : py::tuple(t.attr("names"))) {
        const py::tuple entry = fields[name];  // (dtype, offset[, title])
        py::dtype type = entry[0];
        record_field f;
        f.name = py::str(name);
        f.offset = entry[1].cast<std::uint64_t>();
        if (const py::object sub = type.attr("subdtype"); !sub.is_none()) {  // (base, shape)
            type = py::tuple(sub)[0];
            for (const auto d : py::tuple(py::tuple(sub)[1])) f.shape.push_back(d.cast<std::uint64_t>());
        }
        auto field_type = brine_dtype(type);
        if (!field_type) return std::nullopt;
        f.type = std::move(*field_type);
        r.fields.push_back(std::move(f));
    }
    if (record_layout_problem(r.fields, r.width)) return std::nullopt;
    return r;
}

}  // namespace

py::dtype numpy_dtype(const element_type& t) {
    if (is_record(t.dtype)) return t.fields.empty() ? py::dtype("V" + std::to_string(t.width)) : record_dtype(t);
    const auto order = t.order;
    if (has_time_unit(t.dtype))  // units are many; these are rare enough to parse each time
        return py::dtype(std::string(1, static_cast<char>(order)) + std::string(info(t.dtype).numpy_code) + "[" + unit_text(t.unit) + "]");
    if (has_width(t.dtype))  // so are widths
        return py::dtype(std::string(1, itemsize(t.dtype) == 1 ? '|' : static_cast<char>(order)) + std::string(info(t.dtype).numpy_code) +
                         std::to_string(t.width));
    // Built once per dtype and byte order (parsing "<f8" for every array of a
    // load costs more than the rest of wrapping it). Leaked: no Python object
    // may be destroyed after the interpreter finalizes. Callers hold the GIL.
    static py::dtype* cache[dtype_count][2] = {};
    auto& slot = cache[static_cast<std::uint8_t>(t.dtype)][order == byte_order::big];
    if (!slot) {
        const char prefix = itemsize(t.dtype) == 1 ? '|' : static_cast<char>(order);
        slot = new py::dtype(std::string(1, prefix) + std::string(info(t.dtype).numpy_code));
    }
    return *slot;
}

py::dtype numpy_dtype(const array_meta& meta) {
    // Records only copy their fields out: the common case stays a lookup.
    if (is_record(meta.dtype)) return numpy_dtype(meta.element());
    return numpy_dtype(element_type{meta.dtype, meta.order, meta.unit, meta.width, {}});
}

std::optional<element_type> brine_dtype(const py::dtype& t) {
    const char kind = t.kind();
    // A sub-array dtype is only ever a record field's (record_type).
    if (t.attr("subdtype").ptr() != Py_None) return std::nullopt;
    if (kind == 'V') return record_type(t);
    if (t.attr("fields").ptr() != Py_None) return std::nullopt;
    const auto size = static_cast<std::size_t>(t.itemsize());
    if (kind == 'S' || kind == 'U') {
        // numpy's 'U5' is 20 bytes. An unsized dtype ('U0') has no array form.
        const auto type = kind == 'U' ? dtype::str : dtype::bytes;
        if (size == 0 || size % itemsize(type) != 0 || size > max_string_itemsize) return std::nullopt;
        return element_type{type, type == dtype::bytes ? native_byte_order : order_of(t), {}, static_cast<std::uint32_t>(size / itemsize(type)), {}};
    }
    for (const auto& i : dtype_infos) {
        if (i.numpy_code[0] != kind || i.itemsize != size || is_sized(i.code)) continue;
        element_type found{i.code, i.itemsize == 1 ? native_byte_order : order_of(t), {}, 1, {}};
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
    return std::nullopt;  // objects, long double...
}

const py::object& numpy_generic() {
    // Leaked on purpose: destroying a Python object after the interpreter
    // finalized would crash at exit.
    static const auto* generic = new py::object(py::module_::import("numpy").attr("generic"));
    return *generic;
}

}  // namespace brine::python
