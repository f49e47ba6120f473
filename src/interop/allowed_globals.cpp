#include "interop/allowed_globals.hpp"
#include "interop/python_datetime.hpp"

#include "interop/text_encoding.hpp"

#include <brine/model/array_meta.hpp>
#include <brine/model/string_element.hpp>

#include <array>
#include <cstring>
#include <utility>

namespace brine::interop {

namespace {

struct allowed_entry {
    std::string_view module, name;
    allowed_global id;
};

// module.qualname -> meaning. joblib records an array's class (ndarray,
// memmap, matrix) in its wrapper; all of them load as plain arrays.
constexpr std::array allowlist{
    allowed_entry{"builtins", "complex", allowed_global::builtins_complex},
    allowed_entry{"builtins", "set", allowed_global::builtins_set},
    allowed_entry{"builtins", "frozenset", allowed_global::builtins_frozenset},
    allowed_entry{"builtins", "bytearray", allowed_global::builtins_bytearray},
    allowed_entry{"collections", "OrderedDict", allowed_global::ordered_dict},
    allowed_entry{"_codecs", "encode", allowed_global::codecs_encode},
    allowed_entry{"numpy.core.multiarray", "_reconstruct", allowed_global::numpy_reconstruct},
    allowed_entry{"numpy.core.multiarray", "scalar", allowed_global::numpy_scalar},
    allowed_entry{"numpy.core.numeric", "_frombuffer", allowed_global::numpy_frombuffer},
    allowed_entry{"numpy", "dtype", allowed_global::numpy_dtype},
    allowed_entry{"numpy", "ndarray", allowed_global::numpy_ndarray},
    allowed_entry{"numpy", "memmap", allowed_global::numpy_ndarray},
    allowed_entry{"numpy.core.memmap", "memmap", allowed_global::numpy_ndarray},
    allowed_entry{"numpy", "matrix", allowed_global::numpy_ndarray},
    allowed_entry{"numpy.matrixlib.defmatrix", "matrix", allowed_global::numpy_ndarray},
    allowed_entry{"joblib.numpy_pickle", "NumpyArrayWrapper", allowed_global::joblib_array_wrapper},
    // scikit-learn < 0.23 shipped joblib as sklearn.externals.joblib.
    allowed_entry{"sklearn.externals.joblib.numpy_pickle", "NumpyArrayWrapper", allowed_global::joblib_array_wrapper},
    allowed_entry{"datetime", "datetime", allowed_global::datetime_datetime},
    allowed_entry{"datetime", "date", allowed_global::datetime_date},
    allowed_entry{"datetime", "time", allowed_global::datetime_time},
    allowed_entry{"datetime", "timedelta", allowed_global::datetime_timedelta},
    // joblib < 0.10 kept arrays in companion files (numpy_pickle_compat.py).
    allowed_entry{"joblib.numpy_pickle", "NDArrayWrapper", allowed_global::joblib_companion_array},
    allowed_entry{"joblib.numpy_pickle", "ZNDArrayWrapper", allowed_global::joblib_companion_zarray},
    allowed_entry{"joblib.numpy_pickle_compat", "NDArrayWrapper", allowed_global::joblib_companion_array},
    allowed_entry{"joblib.numpy_pickle_compat", "ZNDArrayWrapper", allowed_global::joblib_companion_zarray},
    allowed_entry{"sklearn.externals.joblib.numpy_pickle", "NDArrayWrapper", allowed_global::joblib_companion_array},
    allowed_entry{"sklearn.externals.joblib.numpy_pickle", "ZNDArrayWrapper", allowed_global::joblib_companion_zarray},
};

// Python 2 and numpy 2 spell some modules differently.
std::string canonical_module(std::string_view module) {
    if (module == "__builtin__") return "builtins";
    if (module == "copy_reg") return "copyreg";
    if (module.starts_with("numpy._core")) return "numpy.core" + std::string(module.substr(11));
    return std::string(module);
}

const py_object& arg(const py_object& args, std::size_t i) { return *args.items[i]; }

void expect_arity(const py_object& args, std::size_t lo, std::size_t hi, std::string_view who, const input_cursor& at) {
    if (args.kind != py_kind::tuple)
        at.fail("expected an argument tuple for " + std::string(who) + ", found " + kind_name(args.kind));
    if (args.items.size() < lo || args.items.size() > hi)
        at.fail("expected " + std::to_string(lo) + (lo == hi ? "" : ".." + std::to_string(hi)) + " arguments for " +
                std::string(who) + ", found " + std::to_string(args.items.size()));
}

const std::string& as_str(const py_object& o, std::string_view what, const input_cursor& at) {
    if (o.kind != py_kind::str) at.fail("expected a str for " + std::string(what) + ", found " + kind_name(o.kind));
    return o.text;
}

// Raw bytes from bytes, bytearray, or (protocol 2 numpy) latin-1 text.
std::string as_raw_bytes(const py_object& o, std::string_view what, const input_cursor& at) {
    if (o.kind == py_kind::bytes || o.kind == py_kind::bytearray) return o.text;
    if (o.kind == py_kind::str) {
        if (auto b = utf8_to_latin1(o.text)) return std::move(*b);
        at.fail("expected latin-1 text for " + std::string(what));
    }
    at.fail("expected bytes for " + std::string(what) + ", found " + kind_name(o.kind));
}

bool as_truth(const py_object& o, std::string_view what, const input_cursor& at) {
    if (o.kind == py_kind::boolean || o.kind == py_kind::integer) return o.number.as<std::int64_t>() != 0;
    at.fail("expected a bool for " + std::string(what) + ", found " + kind_name(o.kind));
}

const py_object& as_dtype(const py_object& o, std::string_view what, const input_cursor& at) {
    if (o.kind != py_kind::dtype) at.fail("expected a numpy.dtype for " + std::string(what) + ", found " + kind_name(o.kind));
    return o;
}

// Items of a list, tuple, set or frozenset (what set() and OrderedDict() iterate).
const std::vector<py_object*>& as_sequence(const py_object& o, std::string_view what, const input_cursor& at) {
    switch (o.kind) {
    case py_kind::list: case py_kind::tuple: case py_kind::set: case py_kind::frozenset: return o.items;
    default: at.fail("expected a sequence for " + std::string(what) + ", found " + kind_name(o.kind));
    }
}

array_meta meta_for(const numpy_descr& d, std::vector<std::uint64_t> shape, bool fortran, const input_cursor& at) {
    if (shape.size() > max_rank) at.fail("an array of rank " + std::to_string(shape.size()) + " exceeds the maximum of " + std::to_string(max_rank));
    auto meta = d.meta(std::move(shape), fortran ? memory_order::fortran : memory_order::c);
    if (!meta.checked_nbytes()) at.fail("array shape " + shape_text(meta.shape) + " overflows 64 bits");
    return meta;
}

// An ndarray holding a copy of `raw`, which must be exactly the array's bytes.
ndarray array_from_bytes(const numpy_descr& d, std::vector<std::uint64_t> shape, bool fortran, std::string_view raw,
                         const input_cursor& at) {
    auto meta = meta_for(d, std::move(shape), fortran, at);
    if (raw.size() != *meta.checked_nbytes())
        at.fail("array data of " + std::to_string(raw.size()) + " bytes for " + meta.describe() + ", expected " +
                std::to_string(*meta.checked_nbytes()));
    auto buf = io::buffer::allocate(raw.size());
    if (!raw.empty()) std::memcpy(buf.data(), raw.data(), raw.size());
    return ndarray(std::move(meta), std::move(buf));
}

py_object& make_number(py_arena& arena, py_kind k, scalar s) {
    auto& o = arena.make(k);
    o.number = s;
    return o;
}

double as_double(const py_object& o, const input_cursor& at) {
    if (o.kind == py_kind::floating || o.kind == py_kind::integer || o.kind == py_kind::boolean) return o.number.as<double>();
    at.fail(std::string("expected a real number for builtins.complex, found ") + kind_name(o.kind));
}

// numpy.core.multiarray.scalar(dtype, raw bytes): one element.
py_object& numpy_scalar(py_arena& arena, const py_object& args, const input_cursor& at) {
    expect_arity(args, 1, 2, "numpy.core.multiarray.scalar", at);
    const auto& d = as_dtype(arg(args, 0), "the scalar's dtype", at).descr;
    if (!d.type) {  // object scalar: the object itself is the second argument
        if (args.items.size() != 2) at.fail("an object scalar without its object");
        return *args.items[1];
    }
    if (has_width(*d.type) && args.items.size() == 1) {
        // All NULs: the empty text. (Not built: a width is up to 2^29 characters.)
        return arena.make(*d.type == dtype::str ? py_kind::str : py_kind::bytes);
    }
    const auto raw = args.items.size() == 2 ? as_raw_bytes(arg(args, 1), "the scalar's bytes", at)
                                            : std::string(static_cast<std::size_t>(d.meta({}, memory_order::c).itemsize()), '\0');
    const auto a = array_from_bytes(d, {}, false, raw, at);
    if (is_record(*d.type)) {
        // numpy.void: one record, a 0-d record array (numpy gives a.item()'s
        // void back for it).
        auto& o = arena.make(py_kind::ndarray);
        o.array = a;
        return o;
    }
    if (has_width(*d.type)) {
        // numpy.str_ and numpy.bytes_ are Python's str and bytes: they become
        // string and bytes nodes, which Python reads back equal.
        auto text = string_element_value(a.meta(), a.bytes());
        if (!text) at.fail("a numpy.str_ scalar holds a code point above U+10FFFF");
        auto& o = arena.make(*d.type == dtype::str ? py_kind::str : py_kind::bytes);
        o.text = std::move(*text);
        return o;
    }
    const auto s = a.at(std::uint64_t{0});
    switch (kind(*d.type)) {
    case dtype_kind::boolean: return make_number(arena, py_kind::boolean, s);
    case dtype_kind::signed_int: case dtype_kind::unsigned_int:
    case dtype_kind::datetime: case dtype_kind::timedelta:  // a number that keeps its dtype and unit
        return make_number(arena, py_kind::integer, s);
    case dtype_kind::floating: return make_number(arena, py_kind::floating, s);
    case dtype_kind::complex: return make_number(arena, py_kind::complex, s);
    case dtype_kind::string: case dtype_kind::record: break;  // returned above
    }
    return make_number(arena, py_kind::floating, s);
}

// numpy.core.numeric._frombuffer(buffer, dtype, shape, order): protocol 5 arrays.
py_object& numpy_frombuffer(py_arena& arena, const py_object& args, const input_cursor& at) {
    expect_arity(args, 4, 4, "numpy.core.numeric._frombuffer", at);
    const auto& d = as_dtype(arg(args, 1), "the array's dtype", at).descr;
    if (!d.type) at.fail("an object array cannot come from a buffer");
    const auto& order = as_str(arg(args, 3), "the array's order", at);
    if (order != "C" && order != "F") at.fail("array order '" + order + "', expected 'C' or 'F'");
    auto& o = arena.make(py_kind::ndarray);
    o.array = array_from_bytes(d, as_shape(arg(args, 2), at), order == "F", as_raw_bytes(arg(args, 0), "the array's buffer", at), at);
    return o;
}

// A void dtype's state: (.., subarray, names, fields, elsize, ...). A
// sub-array dtype, (base, shape), becomes its base with `subarray` set; a
// structured one gets its fields from names and the fields dict, each
// (dtype, offset[, title]). False when a field has no brine type.
bool build_record_dtype(py_object& dt, const py_object& state, const input_cursor& at) {
    const auto& subarray = *state.items[2];
    const auto& names = *state.items[3];
    const auto& fields = *state.items[4];
    auto field_dtype = [&](const py_object& o, const std::string& who) -> const py_object* {
        if (o.kind == py_kind::object && o.module == "numpy" && o.qualname == "dtype") return nullptr;
        const auto& d = as_dtype(o, who, at);
        return d.descr.type ? &d : nullptr;
    };
    if (subarray.kind != py_kind::none) {
        if (subarray.kind != py_kind::tuple || subarray.items.size() != 2) at.fail("a sub-array dtype's state must hold (base dtype, shape)");
        const auto* base = field_dtype(*subarray.items[0], "a sub-array's base dtype");
        if (!base) return false;
        if (!base->descr.subarray.empty()) at.fail("a sub-array dtype whose base is a sub-array");
        const auto width = dt.descr.width;
        dt.descr = base->descr;
        dt.descr.subarray = subarray.items[1]->kind == py_kind::integer ? std::vector<std::uint64_t>{as_count(*subarray.items[1], "a sub-array's length", at)}
                                                                       : as_shape(*subarray.items[1], at);
        if (dt.descr.subarray.size() > max_rank) at.fail("a sub-array of rank above " + std::to_string(max_rank));
        record_field f{"", 0, dt.descr.element(), dt.descr.subarray};
        if (f.nbytes() != width)
            at.fail("a sub-array dtype of " + std::to_string(f.nbytes()) + " bytes whose state gives " + std::to_string(width));
        return true;
    }
    if (names.kind == py_kind::none) return true;  // plain void
    if (names.kind != py_kind::tuple || fields.kind != py_kind::dict) at.fail("a structured dtype's state must hold a names tuple and a fields dict");
    if (names.items.size() > max_record_fields) at.fail("more than " + std::to_string(max_record_fields) + " record fields");
    std::vector<record_field> layout;
    layout.reserve(names.items.size());
    for (const auto* name : names.items) {
        const auto& n = as_str(*name, "a field name", at);
        const auto* entry = dict_get(fields, n);
        if (!entry || entry->kind != py_kind::tuple || entry->items.size() < 2 || entry->items.size() > 3)
            at.fail("field '" + n + "' needs a (dtype, offset[, title]) entry in the dtype's fields");
        const auto* d = field_dtype(*entry->items[0], "field '" + n + "'");
        if (!d) return false;
        layout.push_back({n, as_count(*entry->items[1], "a field offset", at), d->descr.element(), d->descr.subarray});
    }
    if (auto problem = record_layout_problem(layout, dt.descr.width)) at.fail("a structured numpy.dtype: " + *problem);
    dt.descr.fields = std::move(layout);
    return true;
}

void build_dtype(py_object& dt, py_object& state, const input_cursor& at) {
    // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
    if (state.kind != py_kind::tuple || state.items.size() < 2) at.fail("expected numpy.dtype state tuple");
    dt.state = &state;
    const auto& order = as_str(*state.items[1], "the dtype's byte order", at);
    if (order == "<") dt.descr.order = byte_order::little;
    else if (order == ">") dt.descr.order = byte_order::big;
    else if (order == "|" || order == "=") dt.descr.order = native_byte_order;
    else at.fail("dtype byte order '" + order + "', expected '<', '>', '|' or '='");
    if (dt.descr.type && itemsize(*dt.descr.type) == 1) dt.descr.order = native_byte_order;
    if (dt.descr.type && has_width(*dt.descr.type) && state.items.size() >= 6 && state.items[5]->kind == py_kind::integer &&
        state.items[5]->number.as<std::int64_t>() != static_cast<std::int64_t>(itemsize(*dt.descr.type) * dt.descr.width))
        at.fail("a numpy.dtype " + numpy_descr_text(dt.descr) + " whose state gives an item size of " +
                std::to_string(state.items[5]->number.as<std::int64_t>()) + " bytes");
    const bool record = dt.descr.type && is_record(*dt.descr.type);
    if (record && state.items.size() >= 5 && !build_record_dtype(dt, state, at)) {
        // A field brine has no type for (an object field): the dtype stays
        // as numpy pickled it, an object node, and so do arrays of it.
        dt.kind = py_kind::object;
        dt.module = "numpy";
        dt.qualname = "dtype";
        return;
    }
    for (std::size_t i = 2; i < std::min<std::size_t>(state.items.size(), 5); ++i)
        if (state.items[i]->kind != py_kind::none && !record)
            at.fail("a numpy.dtype " + numpy_descr_text(dt.descr) + " with a sub-array or fields in its state");
    // datetime64 / timedelta64: the unit is the last item, (metadata,
    // (unit, count, 1, 1)); numpy before 1.7 pickled no unit (generic).
    if (dt.descr.type && has_time_unit(*dt.descr.type) && state.items.size() == 9) {
        const auto& meta = *state.items[8];
        const py_object* unit = meta.kind == py_kind::tuple && meta.items.size() == 2 ? meta.items[1] : nullptr;
        if (!unit || unit->kind != py_kind::tuple || unit->items.size() != 4 ||
            (unit->items[0]->kind != py_kind::bytes && unit->items[0]->kind != py_kind::str))
            at.fail("a datetime dtype's state must end with (metadata, (unit, count, 1, 1))");
        const auto count = as_count(*unit->items[1], "a time unit's count", at);
        const auto parsed = parse_unit(unit->items[0]->text);
        if (!parsed || count == 0 || count > 0xFFFFFFFFu || (parsed->base == time_unit::generic && count != 1))
            at.fail("time unit '" + unit->items[0]->text + "' x " + std::to_string(count) + " is not one numpy writes");
        dt.descr.unit = {parsed->base, static_cast<std::uint32_t>(count)};
    }
}

void build_reconstructed_array(py_object& a, const py_object& state, const input_cursor& at) {
    // (version, shape, dtype, is_fortran, rawdata), or version 0 without the version.
    if (state.kind != py_kind::tuple || (state.items.size() != 5 && state.items.size() != 4))
        at.fail("expected numpy.ndarray state tuple (version, shape, dtype, is_fortran, data)");
    const std::size_t base = state.items.size() - 4;
    auto shape = as_shape(*state.items[base], at);
    const auto& d = as_dtype(*state.items[base + 1], "the array's dtype", at).descr;
    const bool fortran = as_truth(*state.items[base + 2], "is_fortran", at);
    const auto& data = *state.items[base + 3];
    if (!d.type) {
        // Object arrays pickle their items as a list in C order (numpy's
        // _getlist_pkl iterates the array logically, whatever its layout).
        const auto count = meta_for(numpy_descr{dtype::uint8, native_byte_order}, shape, false, at).size();
        if (data.kind != py_kind::list || data.items.size() != count)
            at.fail("expected a list of " + std::to_string(count) + " items for an object array of shape " + shape_text(shape));
        a.kind = py_kind::object_array;
        a.items = data.items;
        a.shape = std::move(shape);
        return;
    }
    a.array = array_from_bytes(d, std::move(shape), fortran, as_raw_bytes(data, "the array's data", at), at);
    a.kind = py_kind::ndarray;
}

}  // namespace

const char* kind_name(py_kind k) noexcept {
    switch (k) {
    case py_kind::none: return "None";
    case py_kind::boolean: return "bool";
    case py_kind::integer: return "int";
    case py_kind::floating: return "float";
    case py_kind::complex: return "complex";
    case py_kind::str: return "str";
    case py_kind::bytes: return "bytes";
    case py_kind::bytearray: return "bytearray";
    case py_kind::tuple: return "tuple";
    case py_kind::list: return "list";
    case py_kind::dict: return "dict";
    case py_kind::set: return "set";
    case py_kind::frozenset: return "frozenset";
    case py_kind::global: return "a class or function";
    case py_kind::ndarray: return "numpy.ndarray";
    case py_kind::object_array: return "numpy.ndarray of objects";
    case py_kind::pending_array: return "numpy.ndarray without its state";
    case py_kind::dtype: return "numpy.dtype";
    case py_kind::array_wrapper: return "joblib NumpyArrayWrapper";
    case py_kind::companion_wrapper: return "joblib < 0.10 (Z)NDArrayWrapper";
    case py_kind::object: return "object";
    }
    return "object";
}

allowed_global resolve_global(std::string_view module, std::string_view name, const input_cursor& at) {
    const auto mod = canonical_module(module);
    for (const auto& e : allowlist)
        if (e.module == mod && e.name == name) return e.id;
    (void)at;
    return allowed_global::other;
}

void refuse_object(std::string_view module, std::string_view name, const location& where) {
    throw unsupported_error(where, "global " + std::string(module) + "." + std::string(name) +
                                       " is not on brine's allowlist of numpy, joblib and builtin types (docs/interop.md); "
                                       "refusing it, since load_options::allow_objects is false");
}

void keep_as_reconstruct_object(py_object& o, py_object* args, py_object* state) {
    o.kind = py_kind::object;
    o.module = "numpy.core.multiarray";
    o.qualname = "_reconstruct";
    o.build = build_kind::reduce;
    o.args = args;
    o.state = state;
}

global_spelling spelling_of(allowed_global g) {
    for (const auto& e : allowlist)
        if (e.id == g) return {e.module, e.name};
    return {"?", "?"};
}

std::string global_name(allowed_global g) {
    const auto [module, qualname] = spelling_of(g);
    return std::string(module) + "." + std::string(qualname);
}

std::uint64_t as_count(const py_object& o, std::string_view what, const input_cursor& at) {
    if (o.kind != py_kind::integer) at.fail("expected an int for " + std::string(what) + ", found " + kind_name(o.kind));
    if (o.number.type() == dtype::uint64) return o.number.as<std::uint64_t>();
    const auto v = o.number.as<std::int64_t>();
    if (v < 0) at.fail("expected a non-negative " + std::string(what) + ", found " + std::to_string(v));
    return static_cast<std::uint64_t>(v);
}

std::vector<std::uint64_t> as_shape(const py_object& o, const input_cursor& at) {
    if (o.kind != py_kind::tuple && o.kind != py_kind::list) at.fail(std::string("expected a shape tuple, found ") + kind_name(o.kind));
    if (o.items.size() > max_rank) at.fail("array rank " + std::to_string(o.items.size()) + " exceeds the maximum of " + std::to_string(max_rank));
    std::vector<std::uint64_t> shape;
    for (const auto* d : o.items) shape.push_back(as_count(*d, "an array dimension", at));
    return shape;
}

py_object* dict_get(const py_object& dict, std::string_view key) {
    for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2)
        if (dict.items[i]->kind == py_kind::str && dict.items[i]->text == key) return dict.items[i + 1];
    return nullptr;
}

py_object& call_global(py_arena& arena, allowed_global callable, const py_object& args, const input_cursor& at) {
    const auto who = global_name(callable);
    switch (callable) {
    case allowed_global::builtins_complex: {
        expect_arity(args, 0, 2, who, at);
        const double re = args.items.size() > 0 ? as_double(arg(args, 0), at) : 0.0;
        const double im = args.items.size() > 1 ? as_double(arg(args, 1), at) : 0.0;
        return make_number(arena, py_kind::complex, scalar(std::complex<double>(re, im)));
    }
    case allowed_global::builtins_set:
    case allowed_global::builtins_frozenset: {
        expect_arity(args, 0, 1, who, at);
        auto& s = arena.make(callable == allowed_global::builtins_set ? py_kind::set : py_kind::frozenset);
        if (!args.items.empty()) s.items = as_sequence(arg(args, 0), who, at);
        return s;
    }
    case allowed_global::builtins_bytearray: {
        // bytearray(), bytearray(b'...') (protocol 3+), bytearray('...', 'latin-1') (protocol 2).
        expect_arity(args, 0, 2, who, at);
        auto& b = arena.make(py_kind::bytearray);
        if (args.items.size() == 2) {
            const auto& enc = as_str(arg(args, 1), "bytearray's encoding", at);
            if (enc != "latin-1" && enc != "latin1") at.fail("bytearray encoding '" + enc + "', expected 'latin-1'");
        }
        if (!args.items.empty()) b.text = as_raw_bytes(arg(args, 0), who, at);
        return b;
    }
    case allowed_global::ordered_dict: {
        // OrderedDict() then SETITEMS; older pickles pass a list of pairs.
        expect_arity(args, 0, 1, who, at);
        auto& d = arena.make(py_kind::dict);
        if (!args.items.empty())
            for (const auto* pair : as_sequence(arg(args, 0), who, at)) {
                if ((pair->kind != py_kind::list && pair->kind != py_kind::tuple) || pair->items.size() != 2)
                    at.fail("expected (key, value) pairs for collections.OrderedDict");
                d.items.push_back(pair->items[0]);
                d.items.push_back(pair->items[1]);
            }
        return d;
    }
    case allowed_global::codecs_encode: {
        // Protocol 2 pickles bytes as _codecs.encode(text, 'latin1').
        expect_arity(args, 1, 2, who, at);
        const auto& enc = args.items.size() == 2 ? as_str(arg(args, 1), "the encoding", at) : std::string("utf-8");
        if (enc != "latin1" && enc != "latin-1") at.fail("_codecs.encode with encoding '" + enc + "', expected 'latin1'");
        auto& b = arena.make(py_kind::bytes);
        b.text = as_raw_bytes(arg(args, 0), who, at);
        if (arg(args, 0).kind != py_kind::str) at.fail("expected a str for _codecs.encode");
        return b;
    }
    case allowed_global::numpy_reconstruct: {
        // _reconstruct(ndarray, (0,), b'b'): an empty array that BUILD fills.
        expect_arity(args, 3, 3, who, at);
        if (arg(args, 0).kind != py_kind::global || arg(args, 0).global != allowed_global::numpy_ndarray)
            at.fail("expected numpy.ndarray as the class for " + who);
        auto& a = arena.make(py_kind::pending_array);
        a.args = const_cast<py_object*>(&args);
        return a;
    }
    case allowed_global::numpy_dtype: {
        expect_arity(args, 1, 3, who, at);
        const auto& code = as_str(arg(args, 0), "the dtype", at);
        auto d = parse_numpy_descr(code);
        if (!d) {
            // A dtype brine has no array type for yet (datetime, strings,
            // records): kept as numpy pickled it, an object node.
            auto& o = arena.make(py_kind::object);
            o.module = "numpy";
            o.qualname = "dtype";
            o.args = const_cast<py_object*>(&args);
            o.offset = at.offset();
            return o;
        }
        auto& o = arena.make(py_kind::dtype);
        o.descr = *d;
        o.args = const_cast<py_object*>(&args);
        return o;
    }
    case allowed_global::numpy_scalar: return numpy_scalar(arena, args, at);
    case allowed_global::numpy_frombuffer: return numpy_frombuffer(arena, args, at);
    case allowed_global::datetime_datetime:
    case allowed_global::datetime_date:
    case allowed_global::datetime_time:
    case allowed_global::datetime_timedelta: return call_datetime(arena, callable, args, at);
    case allowed_global::numpy_ndarray:
    case allowed_global::joblib_array_wrapper:
    case allowed_global::joblib_companion_array:
    case allowed_global::joblib_companion_zarray:
    case allowed_global::other: break;
    }
    at.fail("calling " + who + " is not supported");
}

py_object& new_instance(py_arena& arena, allowed_global cls, const py_object& args, const input_cursor& at) {
    switch (cls) {
    case allowed_global::joblib_array_wrapper:
        expect_arity(args, 0, 0, "joblib.numpy_pickle.NumpyArrayWrapper", at);
        return arena.make(py_kind::array_wrapper);
    case allowed_global::joblib_companion_array:
    case allowed_global::joblib_companion_zarray: {
        expect_arity(args, 0, 0, global_name(cls), at);
        auto& w = arena.make(py_kind::companion_wrapper);
        w.global = cls;
        return w;
    }
    case allowed_global::builtins_set:
    case allowed_global::builtins_frozenset:
    case allowed_global::builtins_bytearray:
    case allowed_global::ordered_dict:
        return call_global(arena, cls, args, at);
    default: at.fail("creating an instance of " + global_name(cls) + " is not supported");
    }
}

void build(py_object& obj, py_object& state, const input_cursor& at) {
    switch (obj.kind) {
    case py_kind::dtype: return build_dtype(obj, state, at);
    case py_kind::pending_array: return build_reconstructed_array(obj, state, at);
    case py_kind::array_wrapper:
    case py_kind::companion_wrapper:
        if (state.kind != py_kind::dict) at.fail(std::string("expected a state dict for ") + kind_name(obj.kind) + ", found " + kind_name(state.kind));
        if (obj.state) at.fail(std::string(kind_name(obj.kind)) + " built twice");
        obj.state = &state;
        return;
    default:
        at.fail(std::string("setting the state of ") + kind_name(obj.kind) + " (BUILD) is not supported");
    }
}

}  // namespace brine::interop
