// The record writer: turns a depth-first walk of a tree into format v1
// records on a byte sink. Strictly sequential (works on pipes); the table of
// contents is collected on the way and written in the footer by finish().
#pragma once

#include <brine/model/array_meta.hpp>
#include <brine/format/record.hpp>
#include <brine/io/sink.hpp>
#include <brine/model/scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace brine::format {

class writer {
public:
    explicit writer(io::sink& out);
    ~writer();
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    void write_none();
    void write_scalar(const scalar& s);
    template <element T> void write_number(T v) { write_scalar(scalar(v)); }
    void write_string(std::string_view s);
    void write_bytes(std::span<const std::byte> b);

    // Containers: announce the number of children, write them, then end().
    // In a dict each child is write_key() followed by one value; in a map each
    // child is two values, key then value.
    void begin_list(std::uint64_t count);
    void begin_dict(std::uint64_t count);
    void begin_map(std::uint64_t count);
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

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace brine::format
