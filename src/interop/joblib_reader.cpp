// joblib's layer on top of pickle: each numpy array is a NumpyArrayWrapper
// whose BUILD is followed, outside any pickle frame, by the array itself:
//   joblib >= 1.2: one byte n, n padding bytes (data then starts 16-aligned),
//                  then prod(shape) * itemsize raw bytes in the wrapper's order;
//   joblib < 1.2:  the raw bytes directly (no numpy_array_alignment_bytes key);
//   object dtype:  a complete nested pickle (protocol 2) of the array.
#include "codec/opened_input.hpp"
#include "interop/allowed_globals.hpp"
#include "interop/input_cursor.hpp"
#include "interop/joblib_companions.hpp"
#include "interop/pickle_machine.hpp"
#include "interop/python_to_value.hpp"

#include <brine/interop/joblib.hpp>

namespace brine::joblib {

namespace {

using namespace brine::interop;

// The alignment a typed view of the elements needs (complex: its parts').

class wrapper_reader {
public:
    wrapper_reader(py_arena& arena, bool may_borrow, const companion_files& companions)
        : arena_(arena), may_borrow_(may_borrow), companions_(companions) {}

    void operator()(py_object& wrapper, input_cursor& in) const {
        if (wrapper.kind == py_kind::companion_wrapper) return read_companion(wrapper, arena_, companions_, in);
        if (wrapper.kind != py_kind::array_wrapper) return;
        const auto& state = *wrapper.state;
        const auto* dt = field(state, "dtype", in);
        if (dt->kind == py_kind::object) {
            // joblib pickles an array holding Python objects (a record with
            // an object field) in a nested pickle, which numpy's own
            // reduction fills: the object node that stands for it.
            if (const auto* mm = dict_get(state, "allow_mmap"); mm && mm->kind == py_kind::boolean && !mm->number.as<bool>()) {
                wrapper = run_pickle(in, arena_);
                return;
            }
            return read_other_dtype(wrapper, *dt, in);
        }
        if (dt->kind != py_kind::dtype) in.fail(std::string("NumpyArrayWrapper dtype is ") + kind_name(dt->kind) + ", expected numpy.dtype");
        const auto shape = as_shape(*field(state, "shape", in), in);
        const auto* order = field(state, "order", in);
        if (order->kind != py_kind::str || (order->text != "C" && order->text != "F"))
            in.fail("NumpyArrayWrapper order must be 'C' or 'F'");

        if (!dt->descr.type) return read_object_array(wrapper, in);

        if (const auto* align = dict_get(state, "numpy_array_alignment_bytes"); align && align->kind != py_kind::none) {
            const auto alignment = as_count(*align, "numpy_array_alignment_bytes", in);
            const auto padding = in.read_u8("the array's padding length");
            if (padding > alignment) in.fail("array padding of " + std::to_string(padding) + " bytes, expected at most " + std::to_string(alignment));
            in.skip(padding, "the array's padding");
        }
        auto meta = dt->descr.meta(shape, order->text == "F" ? memory_order::fortran : memory_order::c);
        const auto nbytes = meta.checked_nbytes();
        if (!nbytes) in.fail("array shape " + shape_text(shape) + " overflows 64 bits");
        auto data = in.read_buffer(*nbytes, may_borrow_, component_size(meta.dtype), "the data of a " + meta.describe());
        ndarray a(std::move(meta), std::move(data));
        // Like joblib, arrays read into memory come back in native byte
        // order; mapped ones keep the file's.
        wrapper.array = a.mapped() ? std::move(a) : a.to_native();
        wrapper.kind = py_kind::ndarray;
    }

private:
    // A dtype brine has no array type for yet (datetime, strings, records):
    // the array becomes what numpy's own pickle of it is, an object node
    // numpy.core.multiarray._reconstruct(ndarray, (0,), b'b') with the state
    // (1, shape, dtype, is_fortran, raw bytes), so it survives a round trip.
    void read_other_dtype(py_object& wrapper, const py_object& dt, input_cursor& in) const {
        const auto& state = *wrapper.state;
        const auto shape = as_shape(*field(state, "shape", in), in);
        const bool fortran = field(state, "order", in)->text == "F";
        const auto size = other_itemsize(dt, in);
        std::uint64_t n = size;
        for (const auto d : shape)
            if (__builtin_mul_overflow(n, d, &n)) in.fail("array shape " + shape_text(shape) + " overflows 64 bits");
        if (const auto* align = dict_get(state, "numpy_array_alignment_bytes"); align && align->kind != py_kind::none) {
            const auto padding = in.read_u8("the array's padding length");
            if (padding > as_count(*align, "numpy_array_alignment_bytes", in)) in.fail("array padding longer than its alignment");
            in.skip(padding, "the array's padding");
        }
        auto make = [&](py_kind k) -> py_object& { return arena_.make(k); };
        auto& data = make(py_kind::bytes);
        data.text = in.read_string(n, "the data of an array of numpy dtype " + dt.args->items[0]->text);
        auto& ndarray_cls = make(py_kind::global);
        ndarray_cls.module = "numpy";
        ndarray_cls.qualname = "ndarray";
        ndarray_cls.global = allowed_global::numpy_ndarray;
        auto& zero = make(py_kind::integer);
        zero.number = scalar(std::int64_t{0});
        auto& zero_shape = make(py_kind::tuple);
        zero_shape.items = {&zero};
        auto& b = make(py_kind::bytes);
        b.text.assign(1, 'b');  // not = "b": gcc 12 -O3 warns falsely (-Wrestrict) on that
        auto& args = make(py_kind::tuple);
        args.items = {&ndarray_cls, &zero_shape, &b};
        auto& version = make(py_kind::integer);
        version.number = scalar(std::int64_t{1});
        auto& shape_tuple = make(py_kind::tuple);
        for (const auto d : shape) {
            auto& x = make(py_kind::integer);
            x.number = scalar(static_cast<std::int64_t>(d));
            shape_tuple.items.push_back(&x);
        }
        auto& is_fortran = make(py_kind::boolean);
        is_fortran.number = scalar(fortran);
        auto& array_state = make(py_kind::tuple);
        array_state.items = {&version, &shape_tuple, const_cast<py_object*>(&dt), &is_fortran, &data};
        keep_as_reconstruct_object(wrapper, &args, &array_state);
    }

    // Item size of a numpy.dtype kept as an object: its state's elsize for
    // flexible types ('V56', 'U2' -> 8), else the digits of its code ('M8').
    static std::uint64_t other_itemsize(const py_object& dt, const input_cursor& in) {
        if (dt.state && dt.state->kind == py_kind::tuple && dt.state->items.size() >= 6) {
            const auto& elsize = *dt.state->items[5];
            if (elsize.kind == py_kind::integer && elsize.number.as<std::int64_t>() > 0)
                return static_cast<std::uint64_t>(elsize.number.as<std::int64_t>());
        }
        if (dt.args && dt.args->kind == py_kind::tuple && !dt.args->items.empty() && dt.args->items[0]->kind == py_kind::str) {
            const auto& code = dt.args->items[0]->text;
            std::uint64_t n = 0;
            for (const char c : code)
                if (c >= '0' && c <= '9' && n < 1u << 20) n = n * 10 + static_cast<std::uint64_t>(c - '0');
            if (n > 0) return n;
        }
        in.fail("cannot tell the item size of a numpy dtype brine does not know");
    }

    static const py_object* field(const py_object& state, std::string_view key, const input_cursor& in) {
        const auto* v = dict_get(state, key);
        if (!v) in.fail("NumpyArrayWrapper state has no '" + std::string(key) + "'");
        return v;
    }

    // A nested, standard pickle of the array; it has its own memo, and no
    // joblib wrappers of its own (joblib writes it with plain pickle.dump).
    void read_object_array(py_object& wrapper, input_cursor& in) const {
        const auto& inner = run_pickle(in, arena_);
        if (inner.kind != py_kind::object_array && inner.kind != py_kind::ndarray)
            in.fail(std::string("the nested pickle of an object array holds ") + kind_name(inner.kind) + ", expected a numpy array");
        wrapper.kind = inner.kind;
        wrapper.items = inner.items;
        wrapper.shape = inner.shape;
        wrapper.array = inner.array;
    }

    py_arena& arena_;
    bool may_borrow_;
    const companion_files& companions_;
};

value load_stream(io::source& in, const load_options& options, bool may_borrow,
                  std::optional<std::filesystem::path> companion_directory = std::nullopt) {
    input_cursor cursor(in, options.max_bytes);
    py_arena arena;
    const companion_files companions{std::move(companion_directory), &options};
    const wrapper_reader read_wrapped_array(arena, may_borrow, companions);
    const auto& root = run_pickle(cursor, arena, read_wrapped_array);
    // joblib, like pickle, ignores whatever follows STOP.
    return python_to_value(root, options, cursor.offset(), {cursor.name(), std::nullopt});
}

}  // namespace

value load(io::source& pickle_stream, const load_options& options) {
    return load_stream(pickle_stream, options, options.mmap != mmap_mode::none && options.mmap != mmap_mode::read_only_or_load);
}

value load(const std::filesystem::path& file, const load_options& options) {
    codec::opened_input in(file, options, {.read_small_files = false});
    auto directory = file.parent_path();
    if (directory.empty()) directory = ".";
    return load_stream(in.source(), options, in.mapped(), std::move(directory));
}

value load(std::istream& stream, const load_options& options) {
    codec::opened_input in(stream, options, {.read_small_files = false});
    return load_stream(in.source(), options, false);
}

value load(std::istream& stream, const std::filesystem::path& companion_directory, const load_options& options) {
    codec::opened_input in(stream, options, {.read_small_files = false});
    return load_stream(in.source(), options, false, companion_directory);
}

}  // namespace brine::joblib
