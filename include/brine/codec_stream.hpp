// Standard streams that compress or decompress through brine's codecs:
//
//   std::ofstream file("data.bin.zst", std::ios::binary);
//   brine::codec_ostream out(file, brine::codec_id::zstd);   // level 3, all cores
//   out << "anything";  out.write(...);  brine::dump(obj, out);
//   out.finish();                        // ends the zstd file; throws brine::error
//
//   std::ifstream in_file("data.bin.zst", std::ios::binary);
//   brine::codec_istream in(in_file);    // codec from the magic number
//
// The output is a standard file of the codec (zstd -d, gzip -d ... read it).
// Errors: both streams have badbit in exceptions(), so the brine::error that
// a codec reports (corrupt_error, truncated_error, io_error) reaches the
// caller instead of a bare failbit. Clear exceptions() to get the usual
// iostream behaviour instead.
#pragma once

#include <brine/options.hpp>

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>

namespace brine {

namespace detail {
class codec_ostreambuf;
class codec_istreambuf;
}  // namespace detail

class codec_ostream : public std::ostream {
public:
    // `level`: the codec's default when not given. `threads`: 0 = all cores.
    // `block_size`: uncompressed bytes per independent block, 0 = the codec's default.
    codec_ostream(std::ostream& out, codec_id codec, std::optional<int> level = std::nullopt, unsigned threads = 0,
                  std::uint64_t block_size = 0);
    // From dump options: codec (none when not given), level, threads,
    // block_size, and age encryption around it all when `recipients` or
    // `passphrase` is set: codec_ostream(f, {.codec = zstd, .recipients = {r}})
    // writes age(zstd(bytes)); with no codec, age(bytes).
    codec_ostream(std::ostream& out, const dump_options& options);
    // Finishes the stream if finish() was not called; errors are swallowed
    // (call finish() to see them).
    ~codec_ostream() override;
    codec_ostream(const codec_ostream&) = delete;
    codec_ostream& operator=(const codec_ostream&) = delete;

    // Writes the rest of the compressed stream and flushes `out`. Nothing may
    // be written afterwards. Throws brine::error.
    void finish();
    codec_id codec() const noexcept { return codec_; }

private:
    codec_id codec_;
    std::unique_ptr<detail::codec_ostreambuf> buf_;
};

class codec_istream : public std::istream {
public:
    // `codec`: detected from the magic number when not given; input with no
    // known magic is passed through unchanged (codec() == none).
    // `threads`: 0 = all cores (used for files brine wrote; see docs/codecs.md).
    // Input encrypted with age (detected by its magic) needs the keys: use
    // the load_options constructor; here it is a brine::decryption_error.
    explicit codec_istream(std::istream& in, std::optional<codec_id> codec = std::nullopt, unsigned threads = 0);
    // Decrypts age input with options.identities / passphrase, then decodes
    // the codec found by its magic number. Uses options.threads.
    codec_istream(std::istream& in, const load_options& options);
    ~codec_istream() override;
    codec_istream(const codec_istream&) = delete;
    codec_istream& operator=(const codec_istream&) = delete;

    codec_id codec() const noexcept;

private:
    std::unique_ptr<detail::codec_istreambuf> buf_;
};

}  // namespace brine
