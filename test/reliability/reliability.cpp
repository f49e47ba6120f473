#include "reliability.hpp"

#include <brine/io/memory.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace reliability {

namespace {
std::filesystem::path scratch_root() {
    return std::filesystem::temp_directory_path() / ("brine-reliability-" + std::to_string(::getpid()));
}
}  // namespace

void remove_scratch_root() {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_root(), ignored);
}

std::filesystem::path scratch_dir(const std::string& name) {
    const auto dir = scratch_root() / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

std::vector<std::byte> read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string s{std::istreambuf_iterator<char>(in), {}};
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

void write_file(const std::filesystem::path& file, std::span<const std::byte> bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

brine::value load_streamed(std::span<const std::byte> bytes, const brine::load_options& options) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), std::ios::binary);
    return brine::load(in, options);
}

brine::value load_mapped(std::span<const std::byte> bytes, const brine::load_options& options) {
    brine::io::memory_source source(bytes);
    brine::format::reader reader(source, options);
    brine::value v;
    brine::load(reader, v);
    reader.finish();
    return v;
}

}  // namespace reliability
