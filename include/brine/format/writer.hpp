// The record writer: turns a depth-first walk of a tree into format v1
// records on a byte sink. Strictly sequential (works on pipes); the table of
// contents is collected on the way and written in the footer by finish().
#pragma once

#include <brine/model/array_meta.hpp>
#include <brine/format/record.hpp>
#include <brine/format/toc.hpp>
#include <brine/io/sink.hpp>
#include <brine/model/scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace brine::format {

// Canonical mode, for hashing a value rather than storing it (the store
// layer's argument keys): the writer tells a listener where the children of
// dicts, maps and sets begin and end, so that they can be hashed whatever
// their order; writes big-endian payloads little-endian, so that a value has
// one byte form on every machine; and skips its own checksums (the listener
// hashes every byte anyway). Each event comes after every byte before it has
// reached the sink, and the root value's last byte reaches it at the root's
// end: canonical writers are not finish()ed (the table of contents depends on
// the children's order).
class canonical_listener {
public:
    virtual void unordered_begin() = 0;  // after a dict, map or set record's header
    virtual void child_begin() = 0;      // before each child (dict: key and value; map: key and value records)
    virtual void unordered_end() = 0;    // after its last child
protected:
    ~canonical_listener() = default;
};

class writer {
public:
    explicit writer(io::sink& out);
    // Fragment mode: no header, no table of contents. Values are written one
    // after another, each started by start_fragment(offset), where `offset`
    // is the stream offset of its first byte (array payloads are padded to 64
    // for that offset), and ended by end_fragment(), which hands the bytes to
    // the sink without finishing it. A frozen map stores its values this way.
    struct fragments_t {};
    static constexpr fragments_t fragments{};
    writer(io::sink& out, fragments_t);
    void start_fragment(std::uint64_t offset);
    void end_fragment();
    writer(io::sink& out, canonical_listener& listener);
    ~writer();
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    void write_none();
    void write_scalar(const scalar& s);
    template <element T> void write_number(T v) { write_scalar(scalar(v)); }
    void write_string(std::string_view s);
    void write_bytes(std::span<const std::byte> b);
    // Bytes that Python reads back as a bytearray (format 1.3, tag 0x0B).
    void write_bytearray(std::span<const std::byte> b);

    // Containers: announce the number of children, write them, then end().
    // In a dict each child is write_key() followed by one value; in a map each
    // child is two values, key then value.
    void begin_list(std::uint64_t count);
    // A list that Python reads back as a tuple (format 1.1, tag 0x09).
    void begin_tuple(std::uint64_t count);
    void begin_dict(std::uint64_t count);
    void begin_map(std::uint64_t count);
    // A list record whose order means nothing (sets): in canonical mode its
    // children are hashed whatever their order.
    void begin_set(std::uint64_t count);
    void write_key(std::string_view key);
    // An object node (Python object as data): then exactly five values, in
    // object_part order: args (list), kwargs (dict), state (any; none when
    // !has_state), items (list), dict_items (map); then end().
    void begin_object(std::string_view module, std::string_view qualname, build_kind build, bool has_state);
    void end();

    // Arrays: metadata, then exactly meta.nbytes() payload bytes in any
    // number of chunks, in the layout the strides describe, then end_array().
    void begin_array(const array_meta& meta);
    void write_array_data(std::span<const std::byte> chunk);
    void end_array();

    // After the root value: writes the table of contents and the trailer, and
    // finishes the sink.
    void finish();

    std::uint64_t offset() const noexcept;  // bytes written so far
    // The table of contents collected so far (in fragment mode: the current value's).
    const table_of_contents& contents() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace brine::format
