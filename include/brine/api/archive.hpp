// brine::open: a read-only view of a file's tree, built from its table of
// contents, that reads one entry without reading the rest.
//
//   auto a = brine::open("run.brine");
//   auto w = a["layers"][3]["w"].load<brine::array<float>>();
//
// On an uncompressed file the cost of an entry is proportional to the entry.
// With load_options::mmap set, arrays are mapped, not read. On a gzip, zstd,
// lz4 or xz file brine wrote, the codec's block index lets a read decode
// only the blocks the entry spans; other compressed files (bz2, lzma, zlib,
// single streams from other tools) are decoded sequentially up to the entry.
#pragma once

#include <brine/format/reader.hpp>
#include <brine/format/toc.hpp>
#include <brine/model/value_path.hpp>
#include <brine/serialize.hpp>
#include <brine/value/value.hpp>

#include <concepts>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace brine {

namespace detail {
struct archive_state;
}

// A reader positioned on one entry's value; keeps its input alive.
class entry_reader {
public:
    entry_reader(std::shared_ptr<const detail::archive_state> state, std::uint64_t offset, std::string path);
    ~entry_reader();
    entry_reader(entry_reader&&) noexcept;
    format::reader& reader() noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

class entry {
public:
    entry operator[](std::string_view key) const;
    entry operator[](std::size_t index) const;
    template <std::size_t N> entry operator[](const char (&key)[N]) const { return (*this)[std::string_view(key)]; }
    entry operator[](int index) const { return (*this)[static_cast<std::size_t>(index)]; }

    node_kind kind() const;
    // Children of a list, dict or map (pairs); 0 for other kinds.
    std::uint64_t size() const;
    // The keys of a dict entry, in order.
    std::vector<std::string> keys() const;
    // root["layers"][3]: the steps taken to reach this entry, printed with
    // keys escaped and a map's values as [#i] (brine/model/value_path.hpp).
    std::string path() const { return path_text(root_, route_); }

    template <serializable T>
        requires std::default_initializable<T>
    T load() const {
        auto r = open_reader();
        T v{};
        brine::load(r.reader(), v);
        return v;
    }
    brine::value value() const;

    // A reader on this entry's value, for custom loaders.
    entry_reader open_reader() const;

    // An entry over one value record that sits in memory kept alive by
    // `bytes.owner` (a frozen map's value), its tag at bytes[offset]. Error
    // messages name `name` and offsets in `bytes`; `path` starts the paths.
    static entry over_record(io::mapped_bytes bytes, std::uint64_t offset, std::string name, std::string path,
                             const load_options& options);

private:
    friend class archive;
    using child_key = std::variant<std::string, std::uint64_t>;
    entry(std::shared_ptr<const detail::archive_state> state, std::uint32_t node, std::string root)
        : state_(std::move(state)), node_(node), root_(std::move(root)) {}
    entry child(const child_key& key) const;
    // The child at `key` of this container entry, indexed or not, reached by
    // `route` (this entry's route, or one step more).
    entry entry_at(const child_key& key, std::vector<path_step> route) const;
    node_kind container_kind() const;  // this entry's kind, for indexing it

    std::shared_ptr<const detail::archive_state> state_;
    std::uint32_t node_;  // table-of-contents entry: this one, or the nearest indexed ancestor
    // A value without a table-of-contents entry of its own (inside a frozen
    // map's value, a small container): the steps from node_ down to it (a
    // dict key, else the position among the container's records).
    std::vector<child_key> steps_;
    // Its name: where the tree starts ("root", or a frozen map's key), the
    // steps from there as the caller took them, and how many of those lead
    // to node_.
    std::string root_;
    std::vector<path_step> route_;
    std::size_t node_route_ = 0;
};

class archive {
public:
    // A brine file.
    explicit archive(const std::filesystem::path& file, const load_options& options = {});
    // A brine stream in memory; `name` names it in messages.
    archive(std::shared_ptr<const std::vector<std::byte>> brine_stream, std::string name, const load_options& options = {});
    entry root() const;
    entry operator[](std::string_view key) const { return root()[key]; }
    entry operator[](std::size_t index) const { return root()[index]; }
    template <std::size_t N> entry operator[](const char (&key)[N]) const { return root()[std::string_view(key)]; }

    const format::table_of_contents& toc() const noexcept;
    codec_id codec() const noexcept;
    std::uint64_t stream_size() const noexcept;  // uncompressed bytes

private:
    static std::shared_ptr<const detail::archive_state> read_table_of_contents(std::shared_ptr<detail::archive_state> st);
    std::shared_ptr<const detail::archive_state> state_;
};

// Any file brine reads: a brine file as it is; a joblib pickle, .npy or .npz
// is loaded (no code runs) and viewed as the brine stream it converts to, so
// paths work alike: open("model.joblib")["coef_"].load<xt::xtensor<double, 2>>().
// Defined in src/interop/open.cpp, the layer that knows every format.
archive open(const std::filesystem::path& file, const load_options& options = {});

}  // namespace brine
