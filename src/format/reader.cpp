#include "format/array_header.hpp"
#include "format/checksum_writeback.hpp"
#include "format/constants.hpp"
#include "format/hashed_window.hpp"
#include "format/hasher.hpp"
#include "format/hex_byte.hpp"
#include "format/scalar_body.hpp"
#include "format/trailer.hpp"
#include "format/varint.hpp"
#include "fuzzing.hpp"
#include "io/growing_buffer.hpp"
#include "io/memory_advice.hpp"
#include "model/byte_order.hpp"

#include <brine/format/reader.hpp>
#include <brine/format/toc.hpp>
#include <brine/model/value_path.hpp>

#include <algorithm>
#include <cstring>

namespace brine::format {

namespace {

// Arrays and strings up to this size are allocated on the file's word even
// when the input cannot tell how much data is left: the loss is bounded, and
// small values avoid the growing path.
constexpr std::uint64_t always_trusted_size = 4u << 20;


struct frame {
    node_kind kind;
    std::uint64_t count;
    std::uint64_t next = 0;  // children begun so far
    std::string key;         // dicts: the key of the current child
    bool key_pending = false;
};

}  // namespace

struct reader::impl : hashed_window {
    load_options opt;
    hasher payload;

    std::vector<frame> stack;
    bool root_done = false;

    bool in_array = false;
    array_meta meta;
    std::uint64_t payload_left = 0;
    bool payload_through_reader = true;    // every payload byte went through `payload`
    std::uint64_t indexed_seen = 1, key_bytes_seen = 0;  // bound the table of contents

    std::string root_name = "root";

    impl(io::source& s, const load_options& o, std::uint64_t start) : hashed_window(s, start), opt(o) {}

    // Rejects a declared size that the input cannot back, before any allocation.
    void check_declared(std::uint64_t n, const char* what) const {
        if (auto r = remaining(); r && n > *r)
            throw truncated_error(where(), std::string(what) + " declares " + std::to_string(n) + " bytes but the input can hold at most " +
                                               std::to_string(*r) + " more");
        if (!remaining() && opt.max_bytes && n > opt.max_bytes)
            throw limit_error(where(), std::string(what) + " declares " + std::to_string(n) +
                                           " bytes, above load_options::max_bytes = " + std::to_string(opt.max_bytes));
    }

    bool trusted(std::uint64_t n) const {
        return remaining().has_value() || n <= always_trusted_size || (opt.max_bytes && n <= opt.max_bytes);
    }

    // Reads n bytes into a growing container, allocating only as data arrives
    // when the input cannot vouch for n.
    template <class Container>
    void read_sized(Container& out, std::uint64_t n, const char* what) {
        check_declared(n, what);
        if (n <= avail()) {
            const auto* p = reinterpret_cast<const typename Container::value_type*>(cur);
            out.assign(p, p + n);
            cur += n;
            return;
        }
        out.clear();
        std::uint64_t done = 0;
        while (done < n) {
            const auto step = trusted(n) ? n : std::min<std::uint64_t>(n, std::max<std::uint64_t>(always_trusted_size, done * 2));
            out.resize(static_cast<std::size_t>(step));
            copy_out(reinterpret_cast<std::byte*>(out.data()) + done, step - done, what);
            done = step;
        }
    }

    // --- structure ---------------------------------------------------------

    frame* top() { return stack.empty() ? nullptr : &stack.back(); }

    std::string path(bool upcoming) const {
        std::string p = root_name;
        for (std::size_t i = 0; i < stack.size(); ++i) {
            const auto& f = stack[i];
            const bool last = i + 1 == stack.size();
            // A container whose first child has not begun is itself the subject.
            if (last && !upcoming && f.next == 0) break;
            const auto child = (last && upcoming) ? f.next : f.next - 1;
            if (f.kind == node_kind::dict) append_key_step(p, f.key);
            else if (f.kind == node_kind::map) append_map_step(p, child / 2, child % 2 == 0);
            else append_index_step(p, child);
        }
        return p;
    }

    [[noreturn]] void misuse(const std::string& what) const {
        throw error(where(), "reader misuse at " + path(true) + ": " + what);
    }

    node_kind peek() {
        need(1, "a value record");
        const auto t = static_cast<std::uint8_t>(*cur);
        const auto kind = v1::value_kind_of_tag(t);
        if (!kind) {
            if (t == v1::end_tag) corrupt("the tree ends here, expected a value at " + path(true));
            corrupt("unknown record tag 0x" + hex_byte(t) + " at " + path(true));
        }
        return *kind;
    }

    // Starts the next child value of the current container, which must be of
    // kind `want`; consumes its tag.
    void begin_value(node_kind want, std::string_view requested) {
        if (in_array) misuse("value inside an array");
        if (auto* f = top()) {
            if (f->next >= f->count) misuse("more children than the container holds");
            if (f->kind == node_kind::dict && !f->key_pending) misuse("dict value read before its key");
        } else if (root_done) {
            misuse("a second root value");
        }
        if (peek() != want) type_mismatch(describe_next(), requested, true);
        if (auto* f = top()) {
            ++f->next;
            f->key_pending = false;
        } else {
            root_done = true;
        }
        ++cur;
    }

    // `upcoming`: the subject is the next record (not yet begun), else the
    // value just read (or the container just opened).
    [[noreturn]] void type_mismatch(const std::string& stored, std::string_view requested, bool upcoming) const {
        throw type_error(where(), path(upcoming) + ": stored " + stored + ", requested " + std::string(requested));
    }

    // Describes the next record without consuming it: "float64 array of shape (10,)".
    std::string describe_next() {
        fill(4096);
        const std::byte* p = cur;
        auto var = [&]() -> std::optional<std::uint64_t> {
            auto r = get_varint(p, end);
            if (r.length == 0 || r.length == varint_malformed) return std::nullopt;
            p += r.length;
            return r.value;
        };
        const auto kind = v1::value_kind_of_tag(static_cast<std::uint8_t>(*p)).value_or(node_kind{});
        ++p;
        switch (kind) {
        case node_kind::scalar:
            if (const auto s = decode_scalar_body({p, static_cast<std::size_t>(end - p)}))
                return has_time_unit(s->value.type()) ? std::string(brine::name(s->value.type())) + "[" + unit_text(s->value.unit()) + "]"
                                                      : std::string(brine::name(s->value.type()));
            return "scalar";
        case node_kind::list: case node_kind::dict: case node_kind::map:
            if (auto n = var()) return std::string(brine::name(kind)) + " of " + std::to_string(*n);
            return std::string(brine::name(kind));
        case node_kind::array: return describe_array_header({p, static_cast<std::size_t>(end - p)});
        default: return std::string(brine::name(kind));
        }
    }

    void begin_container(node_kind kind, std::string_view requested) {
        begin_value(kind, requested);
        const auto count = varint("a container's child count");
        const std::uint64_t min_child = kind == node_kind::list ? 1 : 2;
        if (auto r = remaining(); r && count > *r / min_child)
            throw truncated_error(where(), std::string(brine::name(kind)) + " declares " + std::to_string(count) +
                                               " children, more than the " + std::to_string(*r) + " bytes left can hold");
        if (kind == node_kind::map && count > (std::uint64_t{1} << 62)) corrupt("map count too large");
        if (stack.size() >= opt.max_depth)
            throw limit_error(where(), "nesting deeper than load_options::max_depth = " + std::to_string(opt.max_depth));
        ++indexed_seen;
        stack.push_back({kind, kind == node_kind::map ? count * 2 : count, 0, {}, false});
    }

    reader::object_header begin_object_record(std::string_view requested) {
        begin_value(node_kind::object, requested);
        reader::object_header h;
        read_sized(h.module, varint("a module name length"), "a module name");
        read_sized(h.qualname, varint("a qualified name length"), "a qualified name");
        const auto b = byte("an object's build kind");
        if (b > static_cast<std::uint8_t>(build_kind::obj)) corrupt("unknown object build kind " + std::to_string(b));
        h.build = static_cast<build_kind>(b);
        const auto flags = byte("an object's flags");
        if (flags > 1) corrupt("unknown object flags 0x" + hex_byte(flags));
        h.has_state = flags == 1;
        if (stack.size() >= opt.max_depth)
            throw limit_error(where(), "nesting deeper than load_options::max_depth = " + std::to_string(opt.max_depth));
        ++indexed_seen;
        stack.push_back({node_kind::object, object_part_count, 0, {}, false});
        return h;
    }

    void begin_array_record(std::string_view requested) {
        begin_value(node_kind::array, requested);
        ++indexed_seen;
        auto h = decode_array_header({cur, avail()});
        // More input only while the window's end cuts the header short: a
        // pipe is never asked for bytes the record does not need yet.
        while (h.problem && h.problem->truncated && avail() < max_array_header && fill(avail() + 1))
            h = decode_array_header({cur, avail()});
        if (h.problem) {
            cur += h.problem->at;
            if (h.problem->truncated) truncated(h.problem->what);
            corrupt(h.problem->what);
        }
        cur += h.header.length;
        meta = std::move(h.header.meta);
        const auto nbytes = h.header.nbytes;
        const auto pad = (v1::default_alignment - offset() % v1::default_alignment) % v1::default_alignment;
        skip_bytes(pad, "array alignment padding");
        check_declared(nbytes + 8, "array payload");
        hash_up_to_cur();
        hashing = false;
        payload.reset();
        payload_left = nbytes;
        payload_through_reader = true;
        in_array = true;
    }

    // The unit of a datetime64 / timedelta64 record, after its dtype byte.
    datetime_unit unit_field() {
        const auto base = byte("a time unit");
        const auto count = varint("a time unit's count");
        const auto u = unit_from_field(base, count);
        if (!u) corrupt("invalid time unit " + std::to_string(base) + " x " + std::to_string(count));
        return *u;
    }

    void read_payload(std::span<std::byte> dst) {
        if (!in_array) misuse("read_array_data() outside an array");
        if (dst.size() > payload_left) misuse("reading past the array's payload");
        io::advise_huge_pages(dst);
        const std::size_t piece = opt.verify_checksums ? hash_piece_size : dst.size();  // hasher.hpp
        for (std::size_t done = 0; done < dst.size();) {
            const std::size_t n = std::min(piece, dst.size() - done);
            copy_out(dst.data() + done, n, "array payload");
            if (opt.verify_checksums) payload.update(dst.data() + done, n);
            done += n;
        }
        payload_left -= dst.size();
    }

    void end_array_record() {
        if (!in_array) misuse("end_array() outside an array");
        if (payload_left) {
            payload_through_reader = false;
            skip_bytes(payload_left, "array payload");
            payload_left = 0;
        }
        in_array = false;
        hashing = true;
        hash_from = cur;
        need(8, "an array checksum");
        const auto stored = detail::load_le_n(cur, 8);
        cur += 8;
        hash_from = cur;  // the checksum is not part of the structure hash
        if (opt.verify_checksums && payload_through_reader && checksums_enforced() && stored != payload.digest())
            corrupt("array checksum mismatch at " + path(false) + " (the array data is corrupt)");
    }

    void skip_value(std::size_t depth);
};

void reader::impl::skip_value(std::size_t depth) {
    if (depth > opt.max_depth) throw limit_error(where(), "nesting deeper than load_options::max_depth");
    const auto kind = peek();
    switch (kind) {
    case node_kind::none: begin_value(kind, "any"); break;
    case node_kind::scalar: {
        begin_value(kind, "any");
        const auto t = byte("a scalar's dtype");
        if (!is_scalar_dtype_code(t)) corrupt("unknown scalar dtype code " + std::to_string(t));
        if (has_time_unit(static_cast<dtype>(t))) (void)unit_field();
        skip_bytes(itemsize(static_cast<dtype>(t)), "a scalar value");
        break;
    }
    case node_kind::string: case node_kind::bytes: {
        begin_value(kind, "any");
        const auto n = varint("a length");
        check_declared(n, "a string");
        if (n >= v1::indexed_string_size) ++indexed_seen;
        skip_bytes(n, "string bytes");
        break;
    }
    case node_kind::list: case node_kind::dict: case node_kind::map: {
        begin_container(kind, "any");
        // A copy: the recursive calls push onto `stack`, which may reallocate
        // (a reference into it was a use-after-free, fuzz/regressions/open_and_verify).
        const auto count = stack.back().count;
        for (std::uint64_t i = 0; i < count; ++i) {
            if (kind == node_kind::dict) {
                const auto n = varint("a key length");
                check_declared(n, "a key");
                key_bytes_seen += n;
                skip_bytes(n, "key bytes");
                stack.back().key_pending = true;
            }
            skip_value(depth + 1);
        }
        stack.pop_back();
        break;
    }
    case node_kind::array:
        begin_array_record("any");
        end_array_record();
        break;
    case node_kind::object:
        begin_object_record("any");
        for (std::uint64_t i = 0; i < object_part_count; ++i) skip_value(depth + 1);
        stack.pop_back();
        break;
    }
}

reader::reader(io::source& in, const load_options& options, const entry_position& at)
    : impl_(std::make_unique<impl>(in, options, at.offset)) {
    impl_->root_name = at.path;
}

reader::reader(io::source& in, const load_options& options) : impl_(std::make_unique<impl>(in, options, 0)) {
    auto& d = *impl_;
    if (!d.fill(v1::header_size)) {
        if (d.avail() >= 8 && std::memcmp(d.cur, v1::magic.data(), 8) == 0) d.truncated("a 64-byte header");
        throw format_error(d.where(), "not a brine file (too short for the 64-byte header)");
    }
    if (std::memcmp(d.cur, v1::magic.data(), v1::magic.size()) != 0)
        throw format_error(d.where(), "not a brine file (expected the magic bytes 89 42 52 4e 0d 0a 1a 0a)");
    const auto major = detail::load_le_n(d.cur + 8, 2), minor = detail::load_le_n(d.cur + 10, 2);
    const auto flags = detail::load_le_n(d.cur + 12, 4), alignment = detail::load_le_n(d.cur + 16, 4);
    if (major != v1::major_version)
        throw format_error(d.where(), "unsupported brine format version " + std::to_string(major) + "." + std::to_string(minor) +
                                          " (this reader handles " + std::to_string(v1::major_version) + ".x)");
    if (flags != 0) throw format_error(d.where(), "unknown header flags " + std::to_string(flags));
    if (alignment != v1::default_alignment) throw format_error(d.where(), "unsupported array alignment " + std::to_string(alignment));
    for (std::size_t i = 20; i < v1::header_size; ++i)
        if (d.cur[i] != std::byte{0}) throw format_error(d.where(), "reserved header bytes are not zero");
    d.cur += v1::header_size;
}

reader::~reader() = default;

node_kind reader::peek() { return impl_->peek(); }

bool reader::peek_tuple() {
    impl_->peek();
    return static_cast<std::uint8_t>(*impl_->cur) == v1::tuple_tag;
}

bool reader::peek_bytearray() {
    impl_->peek();
    return static_cast<std::uint8_t>(*impl_->cur) == v1::bytearray_tag;
}

void reader::read_none() { impl_->begin_value(node_kind::none, "none"); }

scalar reader::read_scalar() {
    auto& d = *impl_;
    d.begin_value(node_kind::scalar, "a number");
    const auto t = d.byte("a scalar's dtype");
    if (!is_scalar_dtype_code(t)) d.corrupt("unknown scalar dtype code " + std::to_string(t));
    const auto type = static_cast<dtype>(t);
    const auto unit = has_time_unit(type) ? d.unit_field() : datetime_unit{};
    d.need(itemsize(type), "a scalar value");
    if (type == dtype::bool_ && static_cast<std::uint8_t>(*d.cur) > 1) d.corrupt("bool scalar is neither 0 nor 1");
    auto s = scalar::from_le_bytes(type, d.cur, unit);
    d.cur += itemsize(type);
    return s;
}

std::string reader::read_string() {
    auto& d = *impl_;
    d.begin_value(node_kind::string, "std::string");
    std::string s;
    d.read_sized(s, d.varint("a string length"), "a string");
    if (s.size() >= v1::indexed_string_size) ++d.indexed_seen;
    return s;
}

std::vector<std::byte> reader::read_bytes() {
    auto& d = *impl_;
    d.begin_value(node_kind::bytes, "bytes");
    std::vector<std::byte> b;
    d.read_sized(b, d.varint("a bytes length"), "bytes");
    if (b.size() >= v1::indexed_string_size) ++d.indexed_seen;
    return b;
}

void reader::skip_value() { impl_->skip_value(impl_->stack.size()); }

void reader::skip_value(std::uint64_t length) {
    auto& d = *impl_;
    if (length == 0) d.corrupt("zero-length record in the table of contents");
    d.begin_value(d.peek(), "any");
    d.skip_bytes(length - 1, "a record the table of contents spans");
}

std::uint64_t reader::begin_list() {
    impl_->begin_container(node_kind::list, "a list");
    return impl_->stack.back().count;
}
std::uint64_t reader::begin_dict() {
    impl_->begin_container(node_kind::dict, "a dict");
    return impl_->stack.back().count;
}
std::uint64_t reader::begin_map() {
    impl_->begin_container(node_kind::map, "a map");
    return impl_->stack.back().count / 2;
}

std::uint64_t reader::reservation_budget() const noexcept {
    // A file can legitimately build values much larger than itself (a list
    // of one-byte nones is ~50 bytes of brine::value per byte), so a budget of
    // some tens of times the input left costs nothing a genuine file of that
    // size could not cost anyway; a small hostile file gets the 1 MiB floor.
    constexpr std::uint64_t floor = std::uint64_t{1} << 20, per_input_byte = 64;
    const auto input = impl_->input_left();
    if (!input) return floor;
    return std::max(floor, *input > UINT64_MAX / per_input_byte ? UINT64_MAX : *input * per_input_byte);
}

const std::string& reader::read_key() {
    auto& d = *impl_;
    auto* f = d.top();
    if (!f || f->kind != node_kind::dict) d.misuse("read_key() outside a dict");
    if (f->key_pending) d.misuse("two keys in a row");
    if (f->next >= f->count) d.misuse("more keys than the dict holds");
    d.read_sized(f->key, d.varint("a key length"), "a dict key");
    d.key_bytes_seen += f->key.size();
    f->key_pending = true;
    return f->key;
}

reader::object_header reader::begin_object() { return impl_->begin_object_record("an object"); }

void reader::end() {
    auto& d = *impl_;
    auto* f = d.top();
    if (!f) d.misuse("end() without an open container");
    if (f->next != f->count) d.misuse("end() with " + std::to_string(f->count - f->next) + " children unread");
    d.stack.pop_back();
}

const array_meta& reader::begin_array() {
    impl_->begin_array_record("an array");
    return impl_->meta;
}

void reader::read_array_data(std::span<std::byte> dst) { impl_->read_payload(dst); }

bool reader::array_size_trusted() const noexcept { return impl_->trusted(impl_->payload_left); }

io::buffer reader::take_array_data(bool map) {
    auto& d = *impl_;
    if (!d.in_array) d.misuse("take_array_data() outside an array");
    const auto n = d.payload_left;
    if (map && d.map && n <= d.avail()) {
        // Zero-copy: the array borrows the mapping. Its checksum is not
        // verified here (that would read every page); brine::verify does.
        auto* p = const_cast<std::byte*>(d.cur);
        d.cur += n;
        d.payload_left = 0;
        d.payload_through_reader = false;
        if (!d.map->writes_persist || d.avail() < 8)
            return io::buffer(d.map->owner, p, static_cast<std::size_t>(n), d.map->writable, true);
        // read_write: the buffer owns a checksum_writeback, which stores the
        // checksum of what the data has become when its last user lets go.
        auto writeback = std::make_shared<checksum_writeback>(d.map->owner, std::span<const std::byte>(p, static_cast<std::size_t>(n)),
                                                              const_cast<std::byte*>(d.cur));
        return io::buffer(std::shared_ptr<const void>(std::move(writeback), p), p, static_cast<std::size_t>(n), true, true);
    }
    if (d.trusted(n)) {
        auto b = io::buffer::allocate(static_cast<std::size_t>(n));
        d.read_payload(b.bytes());
        return b;
    }
    io::growing_buffer g;
    while (g.size() < n) {
        g.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, std::max<std::uint64_t>(always_trusted_size, g.size() * 2))));
        const auto step = g.capacity() - g.size();
        d.read_payload({g.data() + g.size(), step});
        g.set_size(g.size() + step);
    }
    return std::move(g).release();
}

void reader::end_array() { impl_->end_array_record(); }

table_of_contents reader::finish() {
    auto& d = *impl_;
    if (!d.root_done || !d.stack.empty() || d.in_array) d.misuse("finish() before the root value is complete");
    const auto toc_offset = d.offset();
    d.hash_up_to_cur();
    const auto structure_hash = d.structure.digest();
    const auto tag = d.byte("the end of the tree (tag 0xff)");
    if (tag != v1::end_tag) {
        --d.cur;
        d.corrupt("expected the end of the tree (tag 0xff), found tag 0x" + hex_byte(tag));
    }
    // The rest of the input is the table of contents and the trailer. Its size
    // is bounded by what was parsed, so garbage cannot make us read forever.
    const std::uint64_t bound = 1 + v1::max_varint_bytes + d.indexed_seen * (5 * v1::max_varint_bytes + 1) +
                                d.key_bytes_seen + v1::trailer_size;
    std::vector<std::byte> tail{static_cast<std::byte>(v1::end_tag)};
    while (true) {
        if (!d.fill(1)) break;
        const auto k = std::min<std::size_t>(d.avail(), static_cast<std::size_t>(bound - std::min<std::uint64_t>(bound, tail.size())) + 1);
        tail.insert(tail.end(), d.cur, d.cur + k);
        d.cur += k;
        if (tail.size() > bound) d.corrupt("unexpected data after the table of contents");
    }
    return decode_tail(tail, toc_offset, d.name, d.opt.verify_checksums, structure_hash);
}

void reader::type_mismatch(std::string_view requested) { impl_->type_mismatch(impl_->describe_next(), requested, true); }
void reader::type_mismatch(std::string_view stored, std::string_view requested) {
    impl_->type_mismatch(std::string(stored), requested, false);
}
std::string reader::path() const { return impl_->path(false); }
location reader::where() const { return impl_->where(); }
std::uint64_t reader::offset() const noexcept { return impl_->offset(); }
const load_options& reader::options() const noexcept { return impl_->opt; }

}  // namespace brine::format
