// The knobs of dump and load. Aggregates, so call sites read as
// brine::dump(obj, "f.brine.zst", {.level = 19, .threads = 4}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace brine {

// The codecs. brine files are told apart by magic number, but a spill
// store's records name their codec by these numbers (docs/format.md): never
// renumber them.
enum class codec_id : std::uint8_t { none, zlib, gzip, bz2, lzma, xz, lz4, zstd };

enum class mmap_mode : std::uint8_t {
    none,           // read arrays into memory (the default)
    read_only,      // map arrays; writing to them is a crash (PROT_READ)
    read_write,     // map arrays shared: writes go to the file
    copy_on_write,  // map arrays private: writes stay in this process
    // As read_only on an uncompressed file; loads into memory (no error) when
    // the file is compressed, and when it is smaller than 64 KiB (reading it
    // costs less than mapping and unmapping it). Plain read_only throws on
    // compressed files.
    read_only_or_load,
};

struct dump_options {
    // The codec; by default it comes from the path's last extension, and is
    // `none` for streams and unknown extensions.
    std::optional<codec_id> codec;
    // Codec level; nullopt means the codec's default (zlib/gzip/bz2 3 as
    // joblib's compress=(codec, 3), lzma/xz 3, zstd 3, lz4 0 = fast).
    std::optional<int> level;
    // Compression threads; 0 means all cores.
    unsigned threads = 0;
    // Uncompressed bytes per independent codec block; 0 means the codec's default.
    std::uint64_t block_size = 0;
    // Dumps to a path always write a temporary file and rename it over the
    // target, so a crash of the process leaves the old file or the new one.
    // durable also fsyncs the file and its directory first, so that a power
    // loss cannot leave a renamed but empty file either. Off, a dump costs
    // what joblib's and numpy's cost (they do not sync), with that risk.
    bool durable = true;
    // Encryption in the age format (docs/reliability.md "Security"), the
    // outermost layer: "m.brine.zst.age" is age(zstd(brine)). X25519
    // recipients ("age1...") or a passphrase (age's scrypt stanza, alone).
    // A path ending in ".age" requires one of them; given either, the output
    // is encrypted whatever the extension.
    std::vector<std::string> recipients{};
    std::string passphrase{};
};

struct load_options {
    mmap_mode mmap = mmap_mode::none;
    // Decompression threads; 0 means all cores.
    unsigned threads = 0;
    // Verify per-array and structure checksums (xxh3). Off saves one pass over
    // the data; corrupt compressed data is still caught by the codec's own check.
    bool verify_checksums = true;
    // Deepest nesting of lists/dicts accepted.
    std::uint32_t max_depth = 512;
    // Upper bound on the bytes the loader allocates for one string, bytes or
    // array when the input cannot tell how much data is really left (compressed
    // or piped input). 0 means no cap: buffers then grow only as data arrives.
    std::uint64_t max_bytes = 0;
    // For encrypted input (age, detected by its magic, binary or armored):
    // identities ("AGE-SECRET-KEY-1...", an identity file's text, or its
    // path) or the passphrase. Without them an encrypted input is a
    // brine::decryption_error.
    std::vector<std::string> identities{};
    std::string passphrase{};
    // Python objects that are not plain data (a pickle global outside numpy's
    // and the builtins' data types: a scikit-learn model, a DataFrame) load as
    // object nodes (brine::object), which hold their class name and parts as
    // data; nothing is imported or run either way. false refuses them, naming
    // the class, for callers that accept plain data only.
    bool allow_objects = true;
};

// The number of threads a `threads` field asks for: all cores when 0.
unsigned resolve_threads(unsigned requested) noexcept;

}  // namespace brine
