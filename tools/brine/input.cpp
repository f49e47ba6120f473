#include "input.hpp"

#include "counting.hpp"

#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/file.hpp>

#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <istream>

namespace brine::cli {

namespace {

// The magic numbers that tell the formats apart (docs/format.md,
// docs/interop.md). A pickle of protocol 2 or later starts with PROTO.
constexpr std::string_view brine_magic("\x89" "BRN\r\n\x1a\n", 8);
constexpr std::string_view npy_magic("\x93NUMPY", 6);
constexpr std::string_view zip_magic("PK\x03\x04", 4);
constexpr std::string_view empty_zip_magic("PK\x05\x06", 4);
constexpr char pickle_proto = '\x80';
constexpr std::size_t prefix_size = 12;  // brine magic + u16 major + u16 minor

std::string read_prefix(std::istream& in) {
    std::string prefix(prefix_size, '\0');
    in.read(prefix.data(), static_cast<std::streamsize>(prefix.size()));
    prefix.resize(static_cast<std::size_t>(in.gcount()));
    return prefix;
}

std::ifstream open_binary(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw io_error({file.string(), std::nullopt}, "cannot open for reading");
    return in;
}

unsigned little_u16(std::string_view bytes) {
    return static_cast<unsigned char>(bytes[0]) | static_cast<unsigned>(static_cast<unsigned char>(bytes[1])) << 8;
}

std::string key_path(const std::string& parent, std::string_view key) { return parent + "[\"" + std::string(key) + "\"]"; }
std::string index_path(const std::string& parent, std::uint64_t i) { return parent + "[" + std::to_string(i) + "]"; }

// A PATH step as a position in a container of `size` children.
std::uint64_t position(std::string_view step, std::uint64_t size, const std::string& file, const std::string& where,
                       std::string_view what) {
    std::int64_t i = 0;
    const auto [end, ec] = std::from_chars(step.data(), step.data() + step.size(), i);
    if (step.empty() || ec != std::errc{} || end != step.data() + step.size())
        throw error({file, std::nullopt}, where + " is a " + std::string(what) + ": '" + std::string(step) +
                                              "' is not a position (use a number)");
    const auto resolved = i < 0 ? static_cast<std::int64_t>(size) + i : i;
    if (resolved < 0 || static_cast<std::uint64_t>(resolved) >= size)
        throw error({file, std::nullopt}, "position " + std::string(step) + " out of range in " + where + " (" +
                                              std::string(what) + " of " + std::to_string(size) + ")");
    return static_cast<std::uint64_t>(resolved);
}

}  // namespace

std::string_view name(file_format f) noexcept {
    switch (f) {
    case file_format::brine: return "brine";
    case file_format::joblib: return "joblib";
    case file_format::npy: return "npy";
    case file_format::npz: return "npz";
    }
    return "?";
}

std::string file_identity::format_text() const {
    return version.empty() ? std::string(name(format)) : std::string(name(format)) + " " + version;
}

std::string file_identity::codec_text() const {
    return format == file_format::npz ? "zip" : std::string(info(codec).name);
}

file_identity identify(const std::filesystem::path& file) {
    file_identity id;
    id.file_size = io::file_source(file).size();  // io_error with the reason when unreadable
    auto raw = open_binary(file);
    auto prefix = read_prefix(raw);
    id.codec = codec_from_magic(std::as_bytes(std::span(prefix)));
    if (id.codec != codec_id::none) {
        // What the codec wraps decides the format; decoding a few bytes is enough.
        raw.clear();
        raw.seekg(0);
        prefix = naming_file(file.string(), [&] {
            codec_istream decoded(raw, id.codec, 1);
            return read_prefix(decoded);
        });
    }
    const std::string_view p(prefix);
    if (p.starts_with(brine_magic)) {
        id.format = file_format::brine;
        if (p.size() >= prefix_size)
            id.version = "v" + std::to_string(little_u16(p.substr(8))) + "." + std::to_string(little_u16(p.substr(10)));
        return id;
    }
    if (!p.empty() && p[0] == pickle_proto) {
        id.format = file_format::joblib;
        return id;
    }
    if (id.codec == codec_id::none && p.starts_with(npy_magic)) {
        id.format = file_format::npy;
        return id;
    }
    if (id.codec == codec_id::none && (p.starts_with(zip_magic) || p.starts_with(empty_zip_magic))) {
        id.format = file_format::npz;
        return id;
    }
    const std::string wrapped = id.codec == codec_id::none ? "" : std::string(info(id.codec).name) + "-compressed data that is ";
    throw format_error({file.string(), 0}, wrapped + "not a brine, joblib, .npy or .npz file");
}

loaded_file load_whole(const std::filesystem::path& file, const file_identity& id, const whole_load& how) {
    load_options options{.threads = how.threads};
    byte_counter count_file_bytes;
    if (how.reporter) count_file_bytes = [r = how.reporter](std::uint64_t n) { r->advance(n); };

    if (id.codec != codec_id::none) {
        // Decode here rather than inside the loader so both ends of the codec
        // can be counted: file bytes for progress, decoded bytes for the size.
        std::filebuf raw_file;
        if (!raw_file.open(file, std::ios::in | std::ios::binary))
            throw io_error({file.string(), std::nullopt}, "cannot open for reading");
        counting_istreambuf raw(raw_file, count_file_bytes);
        std::istream raw_in(&raw);
        raw_in.exceptions(std::ios::badbit);  // let the codec's brine::error through
        codec_istream decoded(raw_in, id.codec, how.threads);
        counting_istreambuf plain(*decoded.rdbuf(), {});
        std::istream in(&plain);
        in.exceptions(std::ios::badbit);
        return naming_file(file.string(), [&] {
            loaded_file out;
            out.value = id.format == file_format::brine ? brine::load(in, options) : joblib::load(in, options);
            plain.drain();  // joblib stops reading at the pickle's STOP
            out.uncompressed_size = plain.count();
            return out;
        });
    }

    if (how.map_if_possible) options.mmap = mmap_mode::read_only_or_load;
    switch (id.format) {
    case file_format::brine: return {brine::load(file, options), id.file_size};
    case file_format::joblib: return {joblib::load(file, options), id.file_size};
    case file_format::npy: return {value(npy::load(file, options)), id.file_size};
    case file_format::npz: {
        auto v = npz::load(file, options);
        const auto size = data_bytes(v);
        return {std::move(v), size};
    }
    }
    throw format_error({file.string(), 0}, "unknown format");
}

std::uint64_t data_bytes(const brine::value& v) {
    struct visitor {
        std::uint64_t operator()(none_t) const { return 0; }
        std::uint64_t operator()(const scalar& s) const { return itemsize(s.type()); }
        std::uint64_t operator()(const std::string& s) const { return s.size(); }
        std::uint64_t operator()(const bytes& b) const { return b.size(); }
        std::uint64_t operator()(const list& l) const {
            std::uint64_t n = 0;
            for (const auto& x : l) n += data_bytes(x);
            return n;
        }
        std::uint64_t operator()(const dict& d) const {
            std::uint64_t n = 0;
            for (const auto& [k, x] : d) n += data_bytes(x);
            return n;
        }
        std::uint64_t operator()(const map& m) const {
            std::uint64_t n = 0;
            for (const auto& [k, x] : m) n += data_bytes(k) + data_bytes(x);
            return n;
        }
        std::uint64_t operator()(const ndarray& a) const { return a.nbytes(); }
    };
    return std::visit(visitor{}, v.variant());
}

std::vector<std::string> split_tree_path(std::string_view path) {
    if (path == "root") return {};
    std::vector<std::string> steps;
    while (!path.empty()) {
        const auto slash = path.find('/');
        const auto step = path.substr(0, slash);
        if (!step.empty()) steps.emplace_back(step);  // "a//b" and a leading or trailing '/' mean "a/b"
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return steps;
}

const brine::value& select(const brine::value& root, const std::vector<std::string>& steps, const std::string& file,
                           std::string& where) {
    where = "root";
    const brine::value* v = &root;
    for (const auto& step : steps) {
        if (v->is_dict()) {
            v = v->as_dict().find(step);
            if (!v) throw error({file, std::nullopt}, "no key \"" + step + "\" in " + where);
            where = key_path(where, step);
        } else if (v->is_list()) {
            const auto i = position(step, v->size(), file, where, "list");
            v = &v->as_list()[i];
            where = index_path(where, i);
        } else if (v->is_map()) {
            const auto i = position(step, v->size(), file, where, "map");
            v = &v->as_map()[i].second;
            where = index_path(where, i);
        } else {
            throw error({file, std::nullopt}, where + " is a " + v->describe() + "; there is no \"" + step + "\" inside it");
        }
    }
    return *v;
}

selected_entry select(const brine::archive& archive, const std::vector<std::string>& steps, const std::string& file) {
    const auto& toc = archive.toc();
    selected_entry at{archive.root(), 0};
    for (const auto& step : steps) {
        auto& e = at.entry;
        switch (const auto kind = e.kind()) {
        case node_kind::dict:
            e = e[std::string_view(step)];
            if (at.toc_index) at.toc_index = toc.child(*at.toc_index, step);
            break;
        case node_kind::list:
        case node_kind::map: {
            const auto i = position(step, e.size(), file, e.path(), name(kind));
            e = e[static_cast<std::size_t>(i)];
            // A map's children in the table of contents alternate key, value.
            if (at.toc_index) at.toc_index = toc.child(*at.toc_index, kind == node_kind::map ? 2 * i + 1 : i);
            break;
        }
        default:
            throw error({file, std::nullopt}, e.path() + " is a " + std::string(name(kind)) + "; there is no \"" + step + "\" inside it");
        }
    }
    at.entry.kind();  // throws when the last step names nothing
    return at;
}

}  // namespace brine::cli
