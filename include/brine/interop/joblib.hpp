// Python joblib files (joblib.dump / joblib.load), read and written without
// Python and without running any code. docs/interop.md lists what is
// supported and how Python and numpy types map onto brine::value.
//
//   brine::value model = brine::joblib::load("model.pkl.gz");
//   brine::joblib::dump(model, "copy.pkl.xz");          // codec from the extension
#pragma once

#include <brine/api/dump.hpp>
#include <brine/api/load.hpp>
#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>
#include <brine/value/value.hpp>

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>
#include <sstream>

namespace brine::joblib {

// Reads a joblib file (pickle protocols 2-5, compressed with zlib, gzip,
// bz2, lzma, xz or lz4, detected by magic number; joblib < 0.10's Z-files
// and companion files too).
// With options.mmap on an uncompressed file, arrays borrow the mapping.
// Throws brine::unsupported_error naming module.qualname for any global
// outside the allowlist, and brine::error with file and offset otherwise.
value load(const std::filesystem::path& file, const load_options& options = {});
value load(std::istream& in, const load_options& options = {});
// Files of joblib < 0.10 keep their arrays in companion files beside the
// pickle (.npy, or Z-files .npy.z), which the path overload opens in the
// pickle's own directory and only there. A stream has no directory: this
// overload names the one its companions are in.
value load(std::istream& in, const std::filesystem::path& companion_directory, const load_options& options = {});
// The reader itself, over any source of the uncompressed pickle stream (a
// memory_source gives zero-copy arrays when options.mmap is set). Fuzz target.
value load(io::source& pickle_stream, const load_options& options = {});

struct dump_options {
    // The codec; by default from the path's last extension as joblib does
    // (.z zlib, .gz, .bz2, .lzma, .xz, .lz4), and none for streams.
    std::optional<codec_id> codec{};
    std::optional<int> level{};   // nullopt: the codec's default (joblib's 3 for zlib/gzip)
    unsigned threads = 0;         // compression threads; 0 means all cores
    // Uncompressed bytes per block that a thread compresses; 0 means the
    // codec's default. The blocks still form one stream (one gzip member,
    // one zlib stream): joblib's readers take nothing else (docs/codecs.md).
    std::uint64_t block_size = 0;
    int protocol = 4;             // pickle protocol 2..5 (joblib 1.2's default is 4)
    // As brine::dump_options::durable: a path is always written through a
    // temporary file renamed over it; durable also fsyncs first.
    bool durable = true;
    // age encryption around the (compressed) pickle, as for brine::dump:
    // "x.pkl.gz.age" is age(gzip(pickle)); `age -d` gives the .pkl.gz back.
    std::vector<std::string> recipients{};
    std::string passphrase{};
};

// Writes `v` so that joblib.load returns the same tree: dicts (string keys)
// as dict, maps as dict with other keys, lists as list, arrays as numpy
// arrays (joblib 1.2 NumpyArrayWrapper layout, 16-byte aligned), scalars as
// bool / int / float / complex, strings as str, bytes as bytes. Atomic.
void dump(const value& v, const std::filesystem::path& file, const dump_options& options = {});
void dump(const value& v, std::ostream& out, const dump_options& options = {});
// Writes the uncompressed pickle stream to any sink; finishes it.
void dump(const value& v, io::sink& out, const dump_options& options = {});

// Any serializable T: converted to a brine::value first (structs become dicts
// of their fields), through an in-memory brine stream.
template <serializable T>
    requires(!std::is_same_v<T, value>)
value to_value(const T& obj) {
    std::stringstream buffer;
    brine::dump(obj, buffer);
    buffer.seekg(0);
    return brine::load(buffer);
}
template <serializable T>
    requires(!std::is_same_v<T, value>)
void dump(const T& obj, const std::filesystem::path& file, const dump_options& options = {}) {
    dump(to_value(obj), file, options);
}
template <serializable T>
    requires(!std::is_same_v<T, value>)
void dump(const T& obj, std::ostream& out, const dump_options& options = {}) {
    dump(to_value(obj), out, options);
}

}  // namespace brine::joblib
