#include "frozen_map_files.hpp"
#include "command.hpp"
#include "input.hpp"
#include "json.hpp"

#include <brine/brine.hpp>
#include <brine/codec_stream.hpp>
#include <brine/io/file.hpp>
#include <brine/io/stream.hpp>

#include <array>
#include <charconv>
#include <fstream>
#include <iostream>

namespace brine::cli {

namespace {

std::string key_text(const frozen_map_key& k) { return frozen_key(k).describe(); }

// A key given on the command line: the text, or, when the map has no such
// text key, the integer it spells.
std::optional<entry> find_key(const frozen_map& m, const std::string& text) {
    if (auto e = m.find(text)) return e;
    std::int64_t i = 0;
    const auto* end = text.data() + text.size();
    if (auto [p, ec] = std::from_chars(text.data(), end, i); ec == std::errc() && p == end) return m.find(i);
    std::uint64_t u = 0;
    if (auto [p, ec] = std::from_chars(text.data(), end, u); ec == std::errc() && p == end) return m.find(u);
    return std::nullopt;
}

}  // namespace

bool is_frozen_map_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::array<char, 8> magic{};
    in.read(magic.data(), magic.size());
    return in && magic == std::array<char, 8>{'\x89', 'B', 'R', 'M', '\r', '\n', '\x1a', '\n'};
}

bool wants_frozen_map(const parsed_args& args, const std::filesystem::path& out) {
    if (const auto f = args.value("format")) return *f == "frozen_map";
    return out.extension() == ".brinemap";
}

int ls_frozen_map(const std::string& file, const parsed_args&) {
    const auto m = frozen_map::open(file);
    std::cout << file << ": frozen map v1.0, " << m.size() << " entries, " << human_bytes(m.file_size()) << '\n';
    for (auto&& [key, e] : m) {
        std::cout << "  " << key_text(key) << "  " << name(e.kind());
        if (e.kind() == node_kind::list || e.kind() == node_kind::dict || e.kind() == node_kind::map)
            std::cout << " of " << e.size();
        std::cout << '\n';
    }
    return exit_ok;
}

int cat_frozen_map(const std::string& file, const parsed_args& args) {
    const auto m = frozen_map::open(file);
    const auto key = args.positional(1);
    if (!key) throw usage_error("a frozen map needs a KEY: brine cat " + file + " \"some key\"");
    const auto e = find_key(m, *key);
    if (!e) throw error({file, std::nullopt}, "no key \"" + *key + "\" in the frozen map");
    const auto v = e->value();
    if (args.flag("json")) write_json(std::cout, v);
    else std::cout << to_string(v, args.flag("all") ? std::numeric_limits<std::size_t>::max() : 1000);
    std::cout << '\n';
    std::cout.flush();
    if (!std::cout) throw io_error({"<stdout>", std::nullopt}, "cannot write the output");
    return exit_ok;
}

int verify_frozen_map(const std::string& file) {
    const auto m = frozen_map::open(file);
    try {
        m.verify();
    } catch (const error& e) {
        std::cerr << "brine verify: " << e.what() << '\n';
        return exit_data_error;
    }
    std::cout << file << ": OK (frozen map v1.0): " << m.size() << " entries, " << human_bytes(m.file_size())
              << "; checked the data, index and superseded-list checksums, every entry and every index slot\n";
    return exit_ok;
}

// Builds the map from the dict (or integer-keyed map) at IN's root. A brine
// file is read record by record: one value in memory at a time. Other
// formats are loaded whole first (a pickle cannot be read in parts).
int convert_to_frozen_map(const std::filesystem::path& in, const std::filesystem::path& out, const parsed_args& args) {
    frozen_map_options options;
    if (const auto mb = args.number("memory-limit-mb", 1, std::uint64_t{1} << 24)) options.memory_limit = *mb << 20;
    if (args.flag("last-wins")) options.duplicates = duplicate_keys::last_wins;
    std::uint64_t entries = 0;
    frozen_map_builder builder(out, options);
    const auto id = identify(in);
    if (id.format == file_format::brine) {
        std::ifstream raw(in, std::ios::binary);
        codec_istream decoded(raw);
        io::istream_source source(decoded, in.string());
        format::reader r(source, {});
        const auto kind = r.peek();
        if (kind != node_kind::dict && kind != node_kind::map)
            throw error({in.string(), r.offset()}, "a frozen map is built from a dict or map at the root, found a " + std::string(name(kind)));
        const auto n = kind == node_kind::dict ? r.begin_dict() : r.begin_map();
        for (std::uint64_t i = 0; i < n; ++i, ++entries) {
            brine::value v;
            if (kind == node_kind::dict) {
                const std::string key = r.read_key();
                brine::load(r, v);
                builder.add(key, v);
            } else {
                brine::value key;
                brine::load(r, key);
                brine::load(r, v);
                if (key.is_string()) builder.add(key.as_string(), v);
                else if (auto k = key.is_scalar() ? key.as_scalar().get<std::int64_t>() : std::nullopt) builder.add(*k, v);
                else if (auto u = key.is_scalar() ? key.as_scalar().get<std::uint64_t>() : std::nullopt) builder.add(*u, v);
                else throw error({in.string(), r.offset()}, "frozen map keys are strings, bytes or integers, not a " + key.describe());
            }
        }
        r.end();
        r.finish();
    } else {
        const auto whole = load_whole(in, id);
        if (!whole.value.is_dict())
            throw error({in.string(), std::nullopt}, "a frozen map is built from a dict at the root, found a " + whole.value.describe());
        for (const auto& [key, v] : whole.value.as_dict()) {
            builder.add(key, v);
            ++entries;
        }
    }
    builder.finish();
    std::cout << in.string() << " (" << format_text(id) << ", " << codec_text(id) << ") -> " << out.string() << " (frozen map, "
              << entries << " entries, " << human_bytes(io::file_source(out).size()) << ")\n";
    return exit_ok;
}

}  // namespace brine::cli
