// The record reader: a pull parser over format v1. Typed loaders and
// brine::value call it in the order the records appear. It checks every
// declared size against what the input can hold before allocating, bounds
// nesting depth, tracks the path inside the tree for error messages, and
// verifies checksums.
#pragma once

#include <brine/error.hpp>
#include <brine/model/array_meta.hpp>
#include <brine/format/record.hpp>
#include <brine/format/toc.hpp>
#include <brine/io/buffer.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>
#include <brine/model/scalar.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine::format {

class reader {
public:
    // Reads and checks the header. `in` must outlive the reader.
    reader(io::source& in, const load_options& options);
    // Reads one value that starts where `in` stands, at stream offset
    // `at.offset` (found in the table of contents); no header, no footer.
    // `at.path` prefixes paths in error messages.
    struct entry_position {
        std::uint64_t offset;
        std::string path;
    };
    reader(io::source& in, const load_options& options, const entry_position& at);
    ~reader();
    reader(const reader&) = delete;
    reader& operator=(const reader&) = delete;

    // The kind of the next record, without consuming it.
    node_kind peek();
    // True when the next record is a tuple (format 1.1, tag 0x09): peek()
    // reports it as a list and begin_list() reads it, so C++ sees a list.
    bool peek_tuple();
    // True when the next record is a bytearray (format 1.3, tag 0x0B): bytes
    // to peek() and read_bytes().
    bool peek_bytearray();

    // Each call consumes one whole value (one child of the current container)
    // and throws brine::type_error if the next record is of another kind.
    void read_none();
    scalar read_scalar();
    std::string read_string();
    std::vector<std::byte> read_bytes();
    // Skips one whole value, of any kind (unknown struct fields).
    void skip_value();
    // Skips one whole value of known length (from the table of contents)
    // without parsing it.
    void skip_value(std::uint64_t length);

    // Containers return their child count; call end() after the children.
    std::uint64_t begin_list();
    std::uint64_t begin_dict();
    std::uint64_t begin_map();
    // An object record: its header, then its five children in object_part
    // order (args, kwargs, state, items, dict_items) as ordinary values; end().
    struct object_header {
        std::string module, qualname;
        build_kind build;
        bool has_state;
    };
    object_header begin_object();
    // In a dict, before each value. Valid until the next call.
    const std::string& read_key();
    // Bytes a loader may reserve up front for the children of a container:
    // 1 MiB, or more in proportion to the input bytes actually left when the
    // input knows them (io::source::input_left). Counts were checked against
    // the input already, but a compressed input cannot bound them tightly.
    std::uint64_t reservation_budget() const noexcept;
    void end();

    // Arrays: begin_array() returns the metadata (the declared size has
    // already been checked against the input when the input knows its size).
    // Then take the payload with exactly one of:
    //   read_array_data: into caller memory, in sequential chunks;
    //   take_array_data: as a shared buffer, mapped from the file when the
    //                    input is a mapping and `map` is true, else owned.
    // and finish with end_array(), which verifies the checksum of data read
    // through this reader and skips whatever was not read.
    const array_meta& begin_array();
    void read_array_data(std::span<std::byte> dst);
    io::buffer take_array_data(bool map);
    // True when allocating the current array's nbytes() up front is safe:
    // the input is known to hold them, or they are within load_options::max_bytes.
    bool array_size_trusted() const noexcept;
    void end_array();

    // After the root value: reads the table of contents and trailer, checks
    // the structure checksum, and that the input ends there. Returns the
    // table of contents.
    table_of_contents finish();

    // Throws brine::type_error: "<path>: stored <what is next>, requested <requested>".
    [[noreturn]] void type_mismatch(std::string_view requested);
    // Same, for a value already consumed, described by `stored`.
    [[noreturn]] void type_mismatch(std::string_view stored, std::string_view requested);
    // The path of the value being read, e.g. root["layers"][3]["bias"].
    std::string path() const;
    location where() const;      // file and current offset
    std::uint64_t offset() const noexcept;
    const load_options& options() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace brine::format
