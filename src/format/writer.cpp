#include "format/array_header.hpp"
#include "format/constants.hpp"
#include "format/hasher.hpp"
#include "format/scalar_body.hpp"
#include "format/trailer.hpp"
#include "format/varint.hpp"
#include "model/byte_order.hpp"

#include <brine/error.hpp>
#include <brine/format/toc.hpp>
#include <brine/format/writer.hpp>

#include <algorithm>
#include <cstring>
#include <vector>

namespace brine::format {

namespace {

struct frame {
    node_kind kind;
    std::uint64_t remaining;   // children still expected (maps: records, 2 per pair)
    std::uint64_t ordinal = 0; // next child's position
    std::uint32_t toc_index;
    bool key_pending = false;  // dicts: write_key() seen, value not yet
    bool unordered = false;    // canonical mode: children hashed whatever their order
};

}  // namespace

struct writer::impl {
    io::sink& out;
    // Small records gather here; [hashed, size) is not yet in the structure hash.
    std::vector<std::byte> buf;
    std::size_t hashed = 0;
    std::uint64_t flushed = 0;  // bytes handed to the sink
    hasher structure, payload;
    std::vector<frame> stack;
    table_of_contents toc;
    std::string pending_key;
    bool root_written = false, finished = false;
    bool hash_structure = true;
    // The open array, if any.
    bool in_array = false;
    std::uint64_t array_left = 0;
    std::uint32_t array_toc = 0;
    // Canonical mode (writer.hpp); swap_itemsize != 0 while a big-endian
    // array is rewritten little-endian through `swapped`.
    canonical_listener* listener = nullptr;
    std::size_t swap_itemsize = 0;
    dtype swap_dtype = dtype::uint8;
    std::vector<std::byte> element_type_field;  // begin_array's scratch: the encoded dtype
    std::vector<std::byte> swapped;

    static constexpr std::size_t buffer_size = 256 * 1024;

    impl(io::sink& s, writer::fragments_t) : out(s), hash_structure(false) {}
    explicit impl(io::sink& s) : out(s) {
        buf.reserve(buffer_size);
        std::byte header[v1::header_size] = {};
        std::memcpy(header, v1::magic.data(), v1::magic.size());
        detail::store_le_n(header + 8, v1::major_version, 2);
        detail::store_le_n(header + 10, v1::minor_version, 2);
        detail::store_le_n(header + 12, 0, 4);  // flags
        detail::store_le_n(header + 16, v1::default_alignment, 4);
        append(header, sizeof header);
    }


    std::uint64_t offset() const { return flushed + buf.size(); }

    void hash_pending() {
        // Fragments and canonical (hashing) writers keep no structure hash.
        if (hash_structure) structure.update(buf.data() + hashed, buf.size() - hashed);
        hashed = buf.size();
    }

    void flush() {
        hash_pending();
        if (!buf.empty()) out.write(buf);
        flushed += buf.size();
        buf.clear();
        hashed = 0;
    }

    void append(const void* p, std::size_t n) {
        if (buf.size() + n > buffer_size) flush();
        if (n > buffer_size) {  // a long string: straight through, hashed on the way
            if (hash_structure) structure.update(static_cast<const std::byte*>(p), n);
            out.write({static_cast<const std::byte*>(p), n});
            flushed += n;
            return;
        }
        const auto* b = static_cast<const std::byte*>(p);
        buf.insert(buf.end(), b, b + n);
    }
    void append_byte(std::uint8_t b) {
        if (buf.size() == buffer_size) flush();
        buf.push_back(static_cast<std::byte>(b));
    }
    void append_varint(std::uint64_t v) {
        std::byte tmp[v1::max_varint_bytes];
        append(tmp, put_varint(tmp, v));
    }

    [[noreturn]] void misuse(const std::string& what) const {
        throw error({out.name(), offset()}, "writer misuse: " + what);
    }

    // Called at the start of every value record; returns its toc entry index
    // or no_parent when the value is not indexed.
    std::uint32_t begin_value(node_kind kind, bool indexed) {
        if (finished) misuse("value after finish()");
        if (in_array) misuse("value inside an unfinished array");
        toc_entry e;
        e.kind = kind;
        e.offset = offset();
        if (stack.empty()) {
            if (root_written) misuse("a second root value");
            root_written = true;
            indexed = true;
        } else {
            auto& f = stack.back();
            if (f.remaining == 0) misuse("more children than announced in " + std::string(name(f.kind)));
            if (f.kind == node_kind::dict) {
                if (!f.key_pending) misuse("dict value without write_key()");
                f.key_pending = false;
                if (indexed) e.key = pending_key;
            }
            // A child of a set, or the key of a map pair (dict keys: write_key).
            if (listener && f.unordered && (f.kind == node_kind::list || (f.kind == node_kind::map && f.ordinal % 2 == 0))) {
                flush();
                listener->child_begin();
            }
            --f.remaining;
            e.ordinal = f.ordinal++;
            e.parent = f.toc_index;
        }
        if (!indexed) return no_parent;
        toc.entries().push_back(std::move(e));
        return static_cast<std::uint32_t>(toc.entries().size() - 1);
    }

    void end_value(std::uint32_t index) {
        if (index != no_parent) {
            auto& e = toc.entries()[index];
            e.length = offset() - e.offset;
        }
        if (listener && stack.empty()) flush();  // a canonical root is complete
    }

    void begin_container(node_kind kind, std::uint64_t count, std::uint8_t tag, bool unordered = false) {
        if (stack.size() >= 100000) misuse("nesting deeper than 100000");
        const auto index = begin_value(kind, true);
        append_byte(tag);
        append_varint(count);
        stack.push_back({kind, kind == node_kind::map ? count * 2 : count, 0, index});
        stack.back().unordered = unordered && listener;
        if (stack.back().unordered) {
            flush();
            listener->unordered_begin();
        }
    }

    // Payload bytes: hashed (unless canonical) and written, never part of
    // the structure hash.
    void payload_piece(std::span<const std::byte> chunk) {
        if (!listener) payload.update(chunk.data(), chunk.size());
        if (chunk.size() >= buffer_size / 4 || buf.size() + chunk.size() > buffer_size) {
            flush();
            out.write(chunk);
            flushed += chunk.size();
        } else {
            buf.insert(buf.end(), chunk.begin(), chunk.end());
            hashed = buf.size();
        }
    }

    // Canonical mode, big-endian array: whole elements are swapped in pieces;
    // a partial element waits in `swapped` for the next chunk.
    void swapped_payload(std::span<const std::byte> chunk) {
        while (!chunk.empty()) {
            const auto take = std::min(chunk.size(), hash_piece_size - swapped.size());
            swapped.insert(swapped.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
            chunk = chunk.subspan(take);
            const auto whole = swapped.size() - swapped.size() % swap_itemsize;
            if (!whole) continue;
            swap_byte_order({swapped.data(), whole}, swap_dtype);
            payload_piece({swapped.data(), whole});
            swapped.erase(swapped.begin(), swapped.begin() + static_cast<std::ptrdiff_t>(whole));
        }
    }

    void sized_record(node_kind kind, const void* p, std::size_t n, std::uint8_t tag) {
        const auto index = begin_value(kind, n >= v1::indexed_string_size);
        append_byte(tag);
        append_varint(n);
        append(p, n);
        end_value(index);
    }
};

writer::writer(io::sink& out) : impl_(std::make_unique<impl>(out)) {}
writer::writer(io::sink& out, fragments_t f) : impl_(std::make_unique<impl>(out, f)) {}

void writer::start_fragment(std::uint64_t offset) {
    auto& d = *impl_;
    if (!d.buf.empty() || (d.root_written && !d.stack.empty())) d.misuse("start_fragment() inside a value");
    d.flushed = offset;
    d.root_written = false;
    d.toc.entries().clear();
}

void writer::end_fragment() {
    auto& d = *impl_;
    if (!d.root_written || !d.stack.empty() || d.in_array) d.misuse("end_fragment() before the value is complete");
    d.flush();
}

writer::writer(io::sink& out, canonical_listener& listener) : impl_(std::make_unique<impl>(out)) {
    impl_->listener = &listener;
    impl_->hash_structure = false;
}
writer::~writer() = default;

std::uint64_t writer::offset() const noexcept { return impl_->offset(); }
const table_of_contents& writer::contents() const noexcept { return impl_->toc; }

void writer::write_none() {
    const auto index = impl_->begin_value(node_kind::none, false);
    impl_->append_byte(static_cast<std::uint8_t>(node_kind::none));
    impl_->end_value(index);
}

void writer::write_scalar(const scalar& s) {
    const auto index = impl_->begin_value(node_kind::scalar, false);
    std::byte rec[max_scalar_record];
    impl_->append(rec, put_scalar_record(rec, s));
    impl_->end_value(index);
}

void writer::write_string(std::string_view s) {
    impl_->sized_record(node_kind::string, s.data(), s.size(), static_cast<std::uint8_t>(node_kind::string));
}
void writer::write_bytes(std::span<const std::byte> b) {
    impl_->sized_record(node_kind::bytes, b.data(), b.size(), static_cast<std::uint8_t>(node_kind::bytes));
}
void writer::write_bytearray(std::span<const std::byte> b) { impl_->sized_record(node_kind::bytes, b.data(), b.size(), v1::bytearray_tag); }

void writer::begin_list(std::uint64_t count) { impl_->begin_container(node_kind::list, count, tag_of(node_kind::list)); }
void writer::begin_tuple(std::uint64_t count) { impl_->begin_container(node_kind::list, count, v1::tuple_tag); }
void writer::begin_dict(std::uint64_t count) { impl_->begin_container(node_kind::dict, count, tag_of(node_kind::dict), true); }
void writer::begin_map(std::uint64_t count) {
    if (count > (std::uint64_t{1} << 62)) impl_->misuse("map count too large");
    impl_->begin_container(node_kind::map, count, tag_of(node_kind::map), true);
}
void writer::begin_set(std::uint64_t count) { impl_->begin_container(node_kind::list, count, tag_of(node_kind::list), true); }

void writer::begin_object(std::string_view module, std::string_view qualname, build_kind build, bool has_state) {
    auto& d = *impl_;
    if (d.stack.size() >= 100000) d.misuse("nesting deeper than 100000");
    const auto index = d.begin_value(node_kind::object, true);
    d.append_byte(static_cast<std::uint8_t>(node_kind::object));
    d.append_varint(module.size());
    d.append(module.data(), module.size());
    d.append_varint(qualname.size());
    d.append(qualname.data(), qualname.size());
    d.append_byte(static_cast<std::uint8_t>(build));
    d.append_byte(has_state ? 1 : 0);
    d.stack.push_back({node_kind::object, object_part_count, 0, index});
}

void writer::write_key(std::string_view key) {
    auto& d = *impl_;
    if (d.stack.empty() || d.stack.back().kind != node_kind::dict) d.misuse("write_key() outside a dict");
    auto& f = d.stack.back();
    if (f.key_pending) d.misuse("two keys in a row");
    if (f.remaining == 0) d.misuse("more children than announced in dict");
    if (f.unordered) {
        d.flush();
        d.listener->child_begin();
    }
    f.key_pending = true;
    d.pending_key.assign(key);
    d.append_varint(key.size());
    d.append(key.data(), key.size());
}

void writer::end() {
    auto& d = *impl_;
    if (d.stack.empty()) d.misuse("end() without an open container");
    const auto& f = d.stack.back();
    if (f.remaining != 0 || f.key_pending)
        d.misuse(std::string(name(f.kind)) + " ended with " + std::to_string(f.remaining) + " announced children missing");
    const auto index = f.toc_index;
    if (f.unordered) {
        d.flush();
        d.listener->unordered_end();
    }
    d.stack.pop_back();
    d.end_value(index);
}

void writer::begin_array(const array_meta& meta) {
    auto& d = *impl_;
    if (!is_valid(meta.dtype)) d.misuse("invalid dtype");
    if (!is_sized(meta.dtype) && meta.width != 1) d.misuse("only bytes, str and record arrays have a width");
    if (has_width(meta.dtype) && (meta.width == 0 || meta.itemsize() > max_string_itemsize))
        d.misuse("a string dtype's width must be 1 to 2^31 - 1 bytes");
    if (!is_record(meta.dtype) && !meta.fields.empty()) d.misuse("only record arrays have fields");
    if (is_record(meta.dtype))
        if (auto p = record_layout_problem(meta.fields, meta.width)) d.misuse(*p);
    if (meta.shape.size() > max_rank) d.misuse("rank above " + std::to_string(max_rank));
    if (meta.strides.size() != meta.shape.size()) d.misuse("strides and shape differ in length");
    if (!meta.is_c_contiguous() && !meta.is_f_contiguous()) d.misuse("array data must be C- or F-contiguous");
    // Canonical mode writes every payload little-endian (writer.hpp).
    d.swap_itemsize = d.listener && itemsize(meta.dtype) > 1 && meta.order != byte_order::little ? itemsize(meta.dtype) : 0;
    d.swap_dtype = meta.dtype;
    auto type = meta.element();
    if (d.swap_itemsize) type.order = byte_order::little;
    d.element_type_field.clear();
    if (!encode_element_type(type, d.element_type_field))
        d.misuse("a record layout longer than " + std::to_string(format::max_element_type_field) + " bytes");
    d.array_toc = d.begin_value(node_kind::array, true);
    d.append_byte(static_cast<std::uint8_t>(node_kind::array));
    d.append(d.element_type_field.data(), d.element_type_field.size());
    d.append_varint(meta.shape.size());
    for (auto n : meta.shape) d.append_varint(n);
    for (auto s : meta.strides) d.append_varint(zigzag(s));
    const auto nbytes = meta.nbytes();
    d.append_varint(nbytes);
    // Zero padding so the payload starts aligned in the uncompressed stream:
    // that is what lets a mapped array be used in place.
    static constexpr std::byte zeros[v1::default_alignment] = {};
    // (Canonical mode: none, as the padding would depend on where the array falls.)
    const auto pad = d.listener ? 0 : (v1::default_alignment - d.offset() % v1::default_alignment) % v1::default_alignment;
    d.append(zeros, pad);
    d.hash_pending();
    d.payload.reset();
    d.in_array = true;
    d.array_left = nbytes;
}

void writer::write_array_data(std::span<const std::byte> chunk) {
    auto& d = *impl_;
    if (!d.in_array) d.misuse("write_array_data() outside an array");
    if (chunk.size() > d.array_left) d.misuse("more array data than the metadata announced");
    d.array_left -= chunk.size();
    if (d.swap_itemsize) return d.swapped_payload(chunk);
    while (chunk.size() > hash_piece_size) {  // hashed and written piece by piece (hasher.hpp)
        d.payload_piece(chunk.first(hash_piece_size));
        chunk = chunk.subspan(hash_piece_size);
    }
    d.payload_piece(chunk);
}

void writer::end_array() {
    auto& d = *impl_;
    if (!d.in_array) d.misuse("end_array() outside an array");
    if (d.array_left) d.misuse(std::to_string(d.array_left) + " bytes of array data missing");
    d.in_array = false;
    std::byte sum[8];
    detail::store_le_n(sum, d.payload.digest(), 8);
    // The checksum is outside the structure hash too, so that an array
    // modified through a read_write mapping can update it in place.
    d.hash_pending();
    d.append(sum, 8);
    d.hashed = d.buf.size();
    d.end_value(d.array_toc);
}

void writer::finish() {
    auto& d = *impl_;
    if (d.finished) return;
    if (!d.root_written || !d.stack.empty() || d.in_array) d.misuse("finish() before the root value is complete");
    d.finished = true;
    trailer t;
    t.toc_offset = d.offset();
    d.hash_pending();
    t.structure_hash = d.structure.digest();
    std::vector<std::byte> toc{static_cast<std::byte>(v1::end_tag)};
    d.toc.encode(toc);
    t.toc_length = toc.size();
    t.toc_hash = XXH3_64bits(toc.data(), toc.size());
    d.flush();
    d.out.write(toc);
    d.out.write(encode_trailer(t));
    d.out.finish();
}

}  // namespace brine::format
