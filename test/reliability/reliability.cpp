#include "reliability.hpp"

#include <brine/io/memory.hpp>

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace brine::test {


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

}  // namespace brine::test
