// brine::frozen_map: a read-only hash map in one file, built once and then
// shared by any number of processes through mmap (docs/format.md, "Frozen
// map files"). Opening is O(1); a lookup hashes the key once and touches the
// index slot and the entry; values are ordinary brine records, so arrays are
// used in place from the mapping.
//
//   brine::frozen_map_builder b("ids.brinemap", {.memory_limit = 512 << 20});
//   b.add("some key", value);
//   b.finish();                                  // atomic
//   auto m = brine::frozen_map::open("ids.brinemap");
//   auto w = m.at("some key").load<brine::array<const float>>();
#pragma once

#include <brine/api/archive.hpp>
#include <brine/io/buffer.hpp>
#include <brine/model/array_meta.hpp>
#include <brine/value/ndarray.hpp>
#include <brine/error.hpp>
#include <brine/options.hpp>
#include <brine/model/scalar.hpp>
#include <brine/serialize.hpp>
#include <brine/store/frozen_key.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace brine {

enum class duplicate_keys : std::uint8_t {
    error,      // finish() throws brine::error naming the key
    last_wins,  // the value added last is the one found; earlier ones are skipped
};

struct frozen_map_options {
    // Memory for the (hash, offset) pairs of the index; beyond it they are
    // sorted and spilled to a temporary file, then merged. Peak memory is
    // this plus a few MiB of buffers, whatever the number of keys.
    std::uint64_t memory_limit = std::uint64_t{256} << 20;
    duplicate_keys duplicates = duplicate_keys::error;
    // Values whose record is at least this many bytes are stored
    // zstd-compressed and decoded on access; 0 stores every value raw.
    // Compressed values are buffered whole while they are added.
    std::uint64_t compress_above = 0;
    // Values holding arrays stay raw (and zero-copy) unless this is set.
    bool compress_arrays = false;
    int level = 3;  // zstd level
    // As dump_options::durable: fsync before the rename.
    bool durable = true;
    // Where spill files go; empty means the target's directory. They are
    // unlinked as soon as they are created, so nothing is left behind.
    std::filesystem::path temp_dir{};
};

// Writes a map file. Keys are added in any order; values are written to the
// file as they come. Destroyed without finish() (an exception), it leaves
// the target as it was and removes its temporaries.
class frozen_map_builder {
public:
    explicit frozen_map_builder(const std::filesystem::path& file, const frozen_map_options& options = {});
    ~frozen_map_builder();
    frozen_map_builder(const frozen_map_builder&) = delete;
    frozen_map_builder& operator=(const frozen_map_builder&) = delete;

    template <saveable T>
    void add(const frozen_key& key, const T& value) {
        if constexpr (element<T>) {
            add_scalar(key, scalar(value));  // the common case, without the record writer
        } else {
            auto& w = begin_value(key);
            save(w, value);
            end_value();
        }
    }
    // Builds the index and renames the file over the target.
    void finish();
    std::uint64_t added() const noexcept;  // values added so far, duplicates included

    // For writers of their own (the CLI streams values from a reader): the
    // record writer for the value of `key`; write exactly one value, then
    // call end_value().
    format::writer& begin_value(const frozen_key& key);
    void end_value();

private:
    void add_scalar(const frozen_key& key, const scalar& value);
    struct impl;
    std::unique_ptr<impl> impl_;
};

// A value found without building an entry: no heap allocation. Scalars,
// strings and bytes are read straight from the mapping; anything else (and
// compressed values) through frozen_map::find.
class frozen_record {
public:
    node_kind kind() const noexcept { return kind_; }
    bool compressed() const noexcept { return compressed_; }
    // Bytes that Python wrote as a bytearray (format 1.3): bytes here too.
    bool is_bytearray() const noexcept { return bytearray_; }
    std::uint64_t offset() const noexcept { return offset_; }  // of the value record in the file
    // nullopt when the value is of another kind (or compressed).
    std::optional<scalar> as_scalar() const noexcept;
    std::optional<std::string_view> as_string() const noexcept;
    std::optional<std::span<const std::byte>> as_bytes() const noexcept;

private:
    friend class frozen_map;
    frozen_record(std::span<const std::byte> body, node_kind kind, bool compressed, bool bytearray, std::uint64_t offset) noexcept
        : body_(body), kind_(kind), compressed_(compressed), bytearray_(bytearray), offset_(offset) {}
    std::span<const std::byte> body_;  // the record after its tag, checked to lie in the data section
    node_kind kind_;
    bool compressed_;
    bool bytearray_;
    std::uint64_t offset_;
};

namespace detail {
struct frozen_map_state;
}

class frozen_map {
public:
    // Maps the file and checks its header and trailer (O(1)). Entries load
    // with `options`; arrays are always mapped (read_only unless
    // copy_on_write is asked for). verify() checks everything else.
    static frozen_map open(const std::filesystem::path& file, const load_options& options = {});

    std::uint64_t size() const noexcept;
    bool empty() const noexcept { return size() == 0; }
    bool contains(const frozen_key& key) const;
    std::optional<entry> find(const frozen_key& key) const;
    // Throws brine::error naming the key when it is absent.
    entry at(const frozen_key& key) const;

    // Lookups without heap allocation.
    std::optional<frozen_record> find_record(const frozen_key& key) const;
    // The value of `key` as T; nullopt when the key is absent, brine::type_error
    // when the value does not fit. The fastest way to a value:
    //   - a number type (the scalar conversion rule of brine::scalar::get),
    //     std::string_view or std::span<const std::byte>: read in place, no
    //     heap allocation;
    //   - brine::array<const E> or brine::tensor<const E, N>: an array stored
    //     raw with E's dtype in native byte order is viewed in the mapping
    //     without building an entry or a reader (only its shape is allocated);
    //   - brine::ndarray: any array stored raw, viewed the same way, in its
    //     stored dtype and byte order;
    //   - anything else, and arrays that must be converted: find(key)->load<T>().
    template <class T> std::optional<T> get(const frozen_key& key) const;

    // Reads every byte: checksums of the data, the index and the superseded
    // list, every key and value record, every index slot against its entry.
    void verify() const;

    const std::string& name() const noexcept;
    std::uint64_t file_size() const noexcept;

    class iterator {
    public:
        using value_type = std::pair<frozen_map_key, entry>;
        using difference_type = std::ptrdiff_t;
        using iterator_concept = std::input_iterator_tag;
        iterator() = default;
        value_type operator*() const;
        iterator& operator++();
        void operator++(int) { ++*this; }
        bool operator==(const iterator& o) const noexcept { return offset_ == o.offset_; }
        std::uint64_t offset() const noexcept { return offset_; }  // of the entry in the file

    private:
        friend class frozen_map;
        iterator(const frozen_map* map, std::uint64_t offset, std::uint64_t dead_index);
        void skip_superseded();
        const frozen_map* map_ = nullptr;
        std::uint64_t offset_ = 0, dead_ = 0;
    };
    // Entries in file order (the order they were added), superseded ones skipped.
    iterator begin() const;
    iterator end() const;

private:
    explicit frozen_map(std::shared_ptr<const detail::frozen_map_state> state) : state_(std::move(state)) {}
    std::optional<std::uint64_t> locate(const frozen_key& key) const;  // offset of the entry
    // The array stored raw at the entry, as it lies in the mapping; nullopt
    // for compressed values and other kinds. Throws corrupt_error for a bad header.
    struct mapped_array_parts {
        array_meta meta;
        io::buffer data;
    };
    std::optional<mapped_array_parts> mapped_array(std::uint64_t entry_offset) const;
    entry entry_at(std::uint64_t entry_offset, const frozen_key& key) const;
    // get<T> for numbers, strings and bytes: read from the record in place.
    template <class T> std::optional<T> get_in_place(const frozen_key& key) const;
    std::shared_ptr<const detail::frozen_map_state> state_;
};

// Declared only: whoever asks get<T> for an array view includes
// <brine/types/brine_array.hpp> (and with it xtensor), as for entry::load<T>;
// other users of the map do not pay for xtensor.
template <class T, std::size_t N> class basic_array;

namespace detail {
template <class T> inline constexpr bool is_array_view = false;
template <class E, std::size_t N> inline constexpr bool is_array_view<basic_array<E, N>> = true;
}  // namespace detail

template <class T>
std::optional<T> frozen_map::get(const frozen_key& key) const {
    if constexpr (detail::is_array_view<T>) {
        const auto offset = locate(key);
        if (!offset) return std::nullopt;
        // bool arrays take the entry's path, which checks every byte is 0 or 1.
        if constexpr (T::element_dtype != dtype::bool_) {
            auto a = mapped_array(*offset);
            if (a && a->meta.dtype == T::element_dtype && a->meta.order == native_byte_order)
                return T::from(a->meta, std::move(a->data));
        }
        return entry_at(*offset, key).template load<T>();
    } else if constexpr (std::is_same_v<T, ndarray>) {
        const auto offset = locate(key);
        if (!offset) return std::nullopt;
        if (auto a = mapped_array(*offset); a && a->meta.dtype != dtype::bool_) return ndarray(std::move(a->meta), std::move(a->data));
        return entry_at(*offset, key).template load<T>();
    } else if constexpr (!element<T> && !std::is_same_v<T, std::string_view> && !std::is_same_v<T, std::span<const std::byte>>) {
        auto e = find(key);
        if (!e) return std::nullopt;
        return e->template load<T>();
    } else {
        return get_in_place<T>(key);
    }
}

template <class T>
std::optional<T> frozen_map::get_in_place(const frozen_key& key) const {
    const auto r = find_record(key);
    if (!r) return std::nullopt;
    auto mismatch = [&](std::string_view want) -> std::optional<T> {
        throw type_error({name(), r->offset()}, key.describe() + ": stored " +
                                                    std::string(r->compressed() ? "compressed " : "") +
                                                    std::string(brine::name(r->kind())) + ", requested " + std::string(want));
    };
    if constexpr (std::is_same_v<T, std::string_view>) {
        if (auto s = r->as_string()) return *s;
        return mismatch("std::string_view");
    } else if constexpr (std::is_same_v<T, std::span<const std::byte>>) {
        if (auto b = r->as_bytes()) return *b;
        return mismatch("std::span<const std::byte>");
    } else {
        const auto s = r->as_scalar();
        if (!s) return mismatch(brine::name(dtype_of<T>));
        if (auto v = s->template get<T>()) return *v;
        return mismatch(brine::name(dtype_of<T>));
    }
}

}  // namespace brine
