#include "entry_points.hpp"

#include "fuzz_model.hpp"

#include "codec/factory.hpp"

#include <brine/brine.hpp>
#include <brine/crypto/age.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/memory.hpp>

#include <xtensor/xarray.hpp>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <istream>
#include <streambuf>
#include <unistd.h>

namespace brine::fuzz {

namespace {

// An istream over the input without copying it: the loaders' stream path
// (codec detection, decoders, a reader that cannot know the input's size).
class span_streambuf : public std::streambuf {
public:
    explicit span_streambuf(input bytes) {
        auto* p = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));
        setg(p, p, p + bytes.size());
    }
};

struct input_stream : private span_streambuf, public std::istream {
    explicit input_stream(input bytes) : span_streambuf(bytes), std::istream(static_cast<span_streambuf*>(this)) {}
};

// The input as a mapping, as a file mapping would present it: the readers'
// zero-copy path. The bytes outlive every call below.
io::mapped_bytes as_mapping(input bytes) {
    return {std::shared_ptr<const void>(bytes.data(), [](const void*) {}), bytes};
}

// One thread: the fuzzer is after parsing bugs, and a thread pool per input
// would only slow it down. The decoder targets use two to reach the parallel
// block path.
const load_options streamed{.threads = 1};
const load_options mapped{.mmap = mmap_mode::read_only, .threads = 1};

// Runs every attempt even when an earlier one rejects the input: the modes
// parse differently, so each reaches code the other does not.
template <class Attempt>
void attempt(Attempt&& run) {
    try {
        run();
    } catch (const brine::error&) {
    }
}

void load_value(input bytes) {
    attempt([&] {
        input_stream in(bytes);
        (void)brine::load(in, streamed);
    });
    // The same bytes as a mapping: sizes are checked against the input, and
    // arrays borrow the input instead of being copied.
    attempt([&] {
        io::memory_source source(as_mapping(bytes), "<fuzz>");
        format::reader reader(source, mapped);
        value v;
        brine::load(reader, v);
        reader.finish();
    });
}

void load_typed(input bytes) {
    attempt([&] {
        input_stream in(bytes);
        (void)brine::load<fuzz_model>(in, streamed);
    });
    attempt([&] {
        input_stream in(bytes);
        (void)brine::load<std::vector<xt::xarray<double>>>(in, streamed);
    });
}

template <codec_id Codec>
void decode(input bytes) {
    attempt([&] {
        io::memory_source compressed(bytes, "<fuzz>");
        auto plain = codec::make_decoding_source(Codec, compressed, {.threads = 2});
        std::vector<std::byte> scratch(64 * 1024);
        while (plain->read(scratch) != 0) {
        }
    });
}

// Visits at most `budget` entries: enough to reach every kind of entry in a
// fuzzer-sized file, without letting a wide tree turn into a slow input.
void walk(const entry& e, int& budget) {
    if (--budget < 0) return;
    const auto kind = e.kind();
    if (kind == node_kind::dict) {
        for (const auto& key : e.keys()) walk(e[key], budget);
    } else if (kind == node_kind::list || kind == node_kind::map) {
        const auto n = std::min<std::uint64_t>(e.size(), 64);
        for (std::uint64_t i = 0; i < n; ++i) walk(e[static_cast<std::size_t>(i)], budget);
    } else {
        (void)e.value();
    }
}

// brine::open and brine::verify read files, not streams: the input goes to
// one temporary file per process, rewritten for every input.
void open_and_verify(input bytes) {
    struct temporary_file {
        std::filesystem::path path = std::filesystem::temp_directory_path() / ("brine-fuzz-" + std::to_string(::getpid()) + ".brine");
        ~temporary_file() {
            std::error_code ignored;
            std::filesystem::remove(path, ignored);
        }
    };
    static const temporary_file temporary;
    const auto& file = temporary.path;
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    attempt([&] { (void)brine::verify(file, 1); });
    // archive's own table-of-contents hash is not behind BRINE_FUZZING: turn
    // it off here so mutated tables of contents reach the code that uses them.
    auto unchecked = [](load_options o) {
        o.verify_checksums = false;
        return o;
    };
    for (const auto& options : {unchecked(streamed), unchecked(mapped)}) {
        attempt([&] {
            auto archive = brine::open(file, options);
            int budget = 256;
            walk(archive.root(), budget);
        });
    }
}

// Frozen map files: open (trailer checksum off, so mutations reach the
// offsets it guards), every lookup and iteration path, then verify.
void frozen_map_file(input bytes) {
    static const auto file = std::filesystem::temp_directory_path() / ("brine-fuzz-" + std::to_string(::getpid()) + ".brinemap");
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    attempt([&] {
        auto m = brine::frozen_map::open(file, {.threads = 1, .verify_checksums = false});
        int budget = 64;
        for (auto it = m.begin(); it != m.end() && budget > 0; ++it, --budget) {
            attempt([&] {
                auto [key, entry] = *it;
                (void)m.find_record(key);
                (void)m.find(key);
                (void)m.get<brine::array<const float>>(key);  // the in-place array path
                int walk_budget = 64;
                walk(entry, walk_budget);
            });
        }
        for (const frozen_key k : {frozen_key("key"), frozen_key(0), frozen_key(std::span<const std::byte>())})
            attempt([&] { (void)m.get<std::int64_t>(k); });
    });
    attempt([&] { brine::frozen_map::open(file).verify(); });
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
}

void joblib_pickle(input bytes) {
    for (const auto& options : {streamed, mapped}) {
        attempt([&] {
            io::memory_source pickle(as_mapping(bytes), "<fuzz>");
            (void)joblib::load(pickle, options);
        });
    }
}

void npy_array(input bytes) {
    for (const auto& options : {streamed, mapped}) {
        attempt([&] {
            io::memory_source file(as_mapping(bytes), "<fuzz>");
            (void)npy::load(file, options);
        });
    }
}

void npz_archive(input bytes) {
    for (const auto& options : {streamed, mapped}) {
        attempt([&] { (void)npz::load(as_mapping(bytes), "<fuzz>", options); });
    }
}

}  // namespace

void spill_segment(input bytes);  // spill_segment.cpp

namespace {
// The age header parser, stanza unwrapping and the chunk reader. scrypt work
// is capped low so that the fuzzer spends its time on parsing.
void age_file(input bytes) {
    for (bool by_passphrase : {false, true}) {
        attempt([&] {
            io::memory_source file(bytes, "<fuzz>");
            age::decryption keys{.max_work_factor = 12, .threads = 1};
            if (by_passphrase) keys.passphrase = std::string(age_passphrase);
            else keys.identities = {std::string(age_identity)};
            auto plain = age::decrypting_source(file, keys);
            std::array<std::byte, 4096> buf;
            while (plain->read(buf)) {
            }
        });
    }
}

constexpr std::array all_entry_points{
    entry_point{"load_value", load_value},
    entry_point{"load_typed", load_typed},
    entry_point{"open_and_verify", open_and_verify},
    entry_point{"frozen_map", frozen_map_file},
    entry_point{"decode_zlib", decode<codec_id::zlib>},
    entry_point{"decode_gzip", decode<codec_id::gzip>},
    entry_point{"decode_bz2", decode<codec_id::bz2>},
    entry_point{"decode_lzma", decode<codec_id::lzma>},
    entry_point{"decode_xz", decode<codec_id::xz>},
    entry_point{"decode_lz4", decode<codec_id::lz4>},
    entry_point{"decode_zstd", decode<codec_id::zstd>},
    entry_point{"joblib", joblib_pickle},
    entry_point{"npy", npy_array},
    entry_point{"npz", npz_archive},
    entry_point{"spill_segment", spill_segment},
    entry_point{"age", age_file},
};

}  // namespace

std::span<const entry_point> entry_points() noexcept { return all_entry_points; }

const entry_point* find_entry_point(std::string_view name) noexcept {
    for (const auto& e : all_entry_points)
        if (e.name == name) return &e;
    return nullptr;
}

}  // namespace brine::fuzz
