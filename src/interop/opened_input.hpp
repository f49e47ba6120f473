// Opening a joblib/npy/npz input the way brine opens its own files: from a
// path (mapped when mmap is asked for and the file is uncompressed) or from a
// stream, with the codec detected by magic number and a decoder in front.
#pragma once

#include <brine/io/file.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>

namespace brine::interop {

class opened_input {
public:
    // `decode`: put a decoder in front of compressed input (joblib); npy and
    // npz are never compressed as a whole, so they pass false.
    opened_input(const std::filesystem::path& file, const load_options& options, bool decode);
    opened_input(std::istream& in, const load_options& options, bool decode);
    ~opened_input();

    io::source& source() noexcept { return *top_; }
    codec_id codec() const noexcept { return codec_; }
    // True when `source()` is the file's mapping, so arrays may borrow it.
    bool mapped() const noexcept { return mapping_.has_value(); }

private:
    void decode_from(std::unique_ptr<io::source> in, const load_options& options, bool decode);
    std::unique_ptr<io::source> origin_, replay_, decoder_;
    std::optional<io::mapped_file> mapping_;
    io::source* top_ = nullptr;
    codec_id codec_ = codec_id::none;
};

}  // namespace brine::interop
