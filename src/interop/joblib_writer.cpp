// brine::value -> a joblib 1.2 file: a pickle in which each array is a
// NumpyArrayWrapper followed by one padding-length byte, that many 0xFF
// bytes (so the data starts 16-aligned in the uncompressed stream) and the
// array's raw bytes in its own layout and byte order.
#include "crypto/encrypted_io.hpp"
#include "interop/numpy_descr.hpp"
#include "interop/pickle_writer.hpp"

#include "codec/factory.hpp"

#include <brine/api/detail/session.hpp>
#include <brine/codec/codec.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/io/file.hpp>
#include <brine/io/stream.hpp>
#include <brine/value/object.hpp>

#include <array>
#include <cstring>

namespace brine::joblib {

namespace {

using namespace brine::interop;

// joblib's NUMPY_ARRAY_ALIGNMENT_BYTES.
constexpr std::uint64_t array_alignment = 16;

class value_pickler {
public:
    value_pickler(pickle_writer& w, std::string file) : w_(w), file_(std::move(file)) {}

    void write(const value& v, bool as_key = false) {
        if (v.is_tuple()) {  // a Python tuple goes back to Python a tuple
            const auto& l = v.as_list();
            w_.begin_tuple(l.size());
            for (const auto& x : l) write(x, as_key);
            return w_.end_tuple(l.size());
        }
        // A bytearray is unhashable: as a dict key (from a C++ map) it is bytes.
        if (v.is_bytearray() && !as_key) return w_.bytearray(v.as_bytes());
        std::visit([&](const auto& x) { write_one(x, as_key); }, v.variant());
    }

private:
    void write_one(none_t, bool) { w_.none(); }
    void write_one(const scalar& s, bool) {
        switch (kind(s.type())) {
        case dtype_kind::boolean: return w_.boolean(s.as<bool>());
        case dtype_kind::signed_int: return w_.integer(s.as<std::int64_t>());
        case dtype_kind::unsigned_int: return w_.integer(s.as<std::uint64_t>());
        case dtype_kind::floating: return w_.floating(s.as<double>());
        case dtype_kind::complex: return w_.complex(s.as<std::complex<double>>());
        case dtype_kind::datetime:
        case dtype_kind::timedelta: {
            // numpy.datetime64 / timedelta64, as numpy pickles its scalars:
            // numpy.core.multiarray.scalar(dtype, 8 native bytes).
            w_.global("numpy.core.multiarray", "scalar");
            write_dtype(element_type{s.type(), native_byte_order, s.unit(), 1, {}});
            std::array<std::byte, 8> raw;
            const auto ticks = s.as<std::int64_t>();
            std::memcpy(raw.data(), &ticks, raw.size());
            w_.bytes(raw);
            w_.op(pickle_op::tuple2);
            return w_.op(pickle_op::reduce);
        }
        case dtype_kind::string: case dtype_kind::record: return w_.none();  // never a scalar's dtype
        }
    }
    void write_one(const std::string& s, bool) { w_.str(s); }
    void write_one(const brine::bytes& b, bool) { w_.bytes(b); }
    void write_one(const list& l, bool as_key) {
        if (as_key) {  // a list key (from a C++ map keyed by pairs or vectors) must be a hashable tuple
            w_.begin_tuple(l.size());
            for (const auto& x : l) write(x, true);
            return w_.end_tuple(l.size());
        }
        w_.op(pickle_op::empty_list);
        if (l.empty()) return;
        w_.op(pickle_op::mark);
        for (const auto& x : l) write(x);
        w_.op(pickle_op::appends);
    }
    void write_one(const dict& d, bool as_key) {
        if (as_key) unhashable("a dict");
        w_.op(pickle_op::empty_dict);
        if (d.empty()) return;
        w_.op(pickle_op::mark);
        for (const auto& [k, x] : d) {
            w_.str(k);
            write(x);
        }
        w_.op(pickle_op::setitems);
    }
    void write_one(const map& m, bool as_key) {
        if (as_key) unhashable("a map");
        w_.op(pickle_op::empty_dict);
        if (m.empty()) return;
        w_.op(pickle_op::mark);
        for (const auto& [k, x] : m) {
            write(k, true);
            write(x);
        }
        w_.op(pickle_op::setitems);
    }
    void write_one(const ndarray& a, bool as_key) {
        if (as_key) unhashable("an array");
        w_.global("joblib.numpy_pickle", "NumpyArrayWrapper");
        w_.op(pickle_op::empty_tuple);
        w_.op(pickle_op::newobj);
        w_.op(pickle_op::empty_dict);
        w_.op(pickle_op::mark);
        w_.str("subclass");
        w_.global("numpy", "ndarray");
        w_.str("shape");
        w_.begin_tuple(a.ndim());
        for (const auto d : a.shape()) w_.integer(d);
        w_.end_tuple(a.ndim());
        w_.str("order");
        w_.str(a.layout() == memory_order::fortran ? "F" : "C");
        w_.str("dtype");
        write_dtype(a.meta().element());
        w_.str("allow_mmap");
        w_.boolean(true);
        w_.str("numpy_array_alignment_bytes");
        w_.integer(std::int64_t{array_alignment});
        w_.op(pickle_op::setitems);
        w_.op(pickle_op::build);
        // Padding as joblib computes it: 1..16 bytes, never 0.
        const auto padding = array_alignment - (w_.offset() + 1) % array_alignment;
        std::byte pad[1 + array_alignment];
        pad[0] = static_cast<std::byte>(padding);
        for (std::size_t i = 1; i <= padding; ++i) pad[i] = std::byte{0xFF};
        w_.raw({pad, 1 + padding});
        w_.raw(a.bytes());
    }

    // An object node: the opcodes that built it, in pickle's own order
    // (docs/interop.md). Nothing about the class is checked or known.
    void write_one(const object_box& box, bool as_key) {
        const auto& o = box.get();
        if (o.is_tuple()) {  // the tuple stand-in: a real tuple, hashable as a key
            const auto& items = o.args[0].as_list();
            w_.begin_tuple(items.size());
            for (const auto& x : items) write(x, as_key);
            return w_.end_tuple(items.size());
        }
        auto args = [&] {
            w_.begin_tuple(o.args.size());
            for (const auto& x : o.args) write(x);
            w_.end_tuple(o.args.size());
        };
        switch (o.build) {
        case build_kind::global: w_.global(o.module, o.qualname); break;
        case build_kind::reduce: w_.global(o.module, o.qualname); args(); w_.op(pickle_op::reduce); break;
        case build_kind::newobj: w_.global(o.module, o.qualname); args(); w_.op(pickle_op::newobj); break;
        case build_kind::newobj_ex:
            w_.global(o.module, o.qualname);
            args();
            write(value(o.kwargs));
            w_.op(pickle_op::newobj_ex);
            break;
        case build_kind::inst: case build_kind::obj:
            // Protocol 0/1 spellings; REDUCE calls the class the same way.
            w_.global(o.module, o.qualname);
            args();
            w_.op(pickle_op::reduce);
            break;
        }
        if (o.has_state) {
            write(o.state);
            w_.op(pickle_op::build);
        }
        if (!o.items.empty()) {
            w_.op(pickle_op::mark);
            for (const auto& x : o.items) write(x);
            w_.op(pickle_op::appends);
        }
        if (!o.dict_items.empty()) {
            w_.op(pickle_op::mark);
            for (const auto& [k, x] : o.dict_items) {
                write(k, true);
                write(x);
            }
            w_.op(pickle_op::setitems);
        }
    }

    // numpy.dtype(code, False, True) and its state, as numpy pickles it:
    // (3, order, None, None, None, -1, -1, 0); for datetime64 and timedelta64
    // (4, ..., 0, ({}, (unit, count, 1, 1))); for strings the item size,
    // alignment and flags; for records (3, '|', None, names, {name: (dtype,
    // offset)}, size, 1, 16). A sub-array field's dtype is 'V<n>' with
    // (base dtype, shape) as its state's third item.
    void write_dtype(const element_type& t, const std::vector<std::uint64_t>& subarray = {}) {
        const bool timed = subarray.empty() && has_time_unit(t.dtype);
        const bool record = !subarray.empty() || is_record(t.dtype);
        const auto size = subarray.empty() ? t.itemsize() : record_field{"", 0, t, subarray}.nbytes();
        w_.global("numpy", "dtype");
        // Appended piece by piece: gcc 12 misreads "V" + std::to_string(...) (-Wrestrict).
        std::string code = "V";
        code += std::to_string(size);
        w_.str(record ? code : numpy_type_code(t.dtype, t.width));
        w_.boolean(false);
        w_.boolean(true);
        w_.op(pickle_op::tuple3);
        w_.op(pickle_op::reduce);
        w_.op(pickle_op::mark);
        w_.integer(std::int64_t{timed ? 4 : 3});
        w_.str(record ? std::string("|") : std::string(1, numpy_order_char(t.dtype, t.order)));
        if (!subarray.empty()) {
            write_dtype(t);
            w_.begin_tuple(subarray.size());
            for (const auto d : subarray) w_.integer(d);
            w_.end_tuple(subarray.size());
            w_.op(pickle_op::tuple2);
        } else {
            w_.none();
        }
        if (subarray.empty() && is_record(t.dtype) && !t.fields.empty()) {
            w_.begin_tuple(t.fields.size());
            for (const auto& f : t.fields) w_.str(f.name);
            w_.end_tuple(t.fields.size());
            w_.op(pickle_op::empty_dict);
            w_.op(pickle_op::mark);
            for (const auto& f : t.fields) {
                w_.str(f.name);
                write_dtype(f.type, f.shape);
                w_.integer(f.offset);
                w_.op(pickle_op::tuple2);
            }
            w_.op(pickle_op::setitems);
        } else {
            w_.none();
            w_.none();
        }
        if (record) {
            w_.integer(static_cast<std::int64_t>(size));
            const auto align = subarray.empty() || is_record(t.dtype) ? std::size_t{1} : has_width(t.dtype) ? itemsize(t.dtype) : component_size(t.dtype);
            w_.integer(static_cast<std::int64_t>(align));
            w_.integer(std::int64_t{subarray.empty() && !t.fields.empty() ? 16 : 0});
        } else if (has_width(t.dtype)) {  // numpy's state for sized types: elsize, alignment, flags
            w_.integer(static_cast<std::int64_t>(t.itemsize()));
            w_.integer(static_cast<std::int64_t>(itemsize(t.dtype)));
            w_.integer(std::int64_t{t.dtype == dtype::str ? 8 : 0});
        } else {
            w_.integer(std::int64_t{-1});
            w_.integer(std::int64_t{-1});
            w_.integer(std::int64_t{0});
        }
        if (timed) {
            w_.op(pickle_op::empty_dict);
            w_.op(pickle_op::mark);  // a 4-tuple: there is no TUPLE4 opcode
            const auto code = unit_code(t.unit.base);
            w_.bytes(std::as_bytes(std::span(code.data(), code.size())));
            w_.integer(std::int64_t{t.unit.count});
            w_.integer(std::int64_t{1});
            w_.integer(std::int64_t{1});
            w_.op(pickle_op::tuple);
            w_.op(pickle_op::tuple2);
        }
        w_.op(pickle_op::tuple);
        w_.op(pickle_op::build);
    }

    [[noreturn]] void unhashable(const char* what) const {
        throw type_error({file_, std::nullopt}, std::string(what) + " cannot be a key of a Python dict");
    }

    pickle_writer& w_;
    std::string file_;
};

codec_id joblib_codec(codec_id id, const std::string& where) {
    if (id == codec_id::zstd)
        throw unsupported_error({where, std::nullopt}, "joblib cannot read zstd; use .z, .gz, .bz2, .lzma, .xz or .lz4");
    return id;
}

// The pickle into `target`, through the codec when there is one, then
// encryption when asked for.
void write_through_codec(const value& v, io::sink& target, codec_id id, const dump_options& o,
                         const std::filesystem::path* file = nullptr) {
    const auto encryptor = crypto::encrypt_if_asked(target, file, age::encryption{.recipients = o.recipients, .passphrase = o.passphrase, .threads = o.threads});
    io::sink& under = encryptor ? *encryptor : target;
    std::unique_ptr<io::sink> encoder;
    if (id != codec_id::none) {
        // One gzip member: joblib's reader stops after the first (docs/codecs.md).
        encoder = codec::make_encoding_sink(under, {.id = id, .level = o.level.value_or(info(id).default_level),
                                                     .threads = resolve_threads(o.threads), .block_size = o.block_size,
                                                     .single_stream = true});
    }
    dump(v, encoder ? *encoder : under, o);
}

}  // namespace

void dump(const value& v, io::sink& out, const dump_options& options) {
    pickle_writer w(out, options.protocol);
    value_pickler(w, out.name()).write(v);
    w.stop();
    w.flush();
    out.finish();
}

void dump(const value& v, const std::filesystem::path& file, const dump_options& options) {
    const auto id = joblib_codec(options.codec ? *options.codec : codec_from_extension(age::without_age_extension(file)).value_or(codec_id::none), file.string());
    io::atomic_file_sink target(file, options.durable);
    write_through_codec(v, target, id, options, &file);
}

void dump(const value& v, std::ostream& out, const dump_options& options) {
    io::ostream_sink target(out);
    write_through_codec(v, target, joblib_codec(options.codec.value_or(codec_id::none), "<stream>"), options);
}

}  // namespace brine::joblib
