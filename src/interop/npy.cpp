// .npy files: the header (interop/npy_header.hpp), then the raw array.
#include "codec/opened_input.hpp"
#include "interop/input_cursor.hpp"
#include "interop/npy_header.hpp"

#include <brine/interop/npy.hpp>
#include <brine/io/file.hpp>
#include <brine/io/stream.hpp>

namespace brine::npy {

namespace {

ndarray load_npy(io::source& in, const load_options& options, bool may_borrow) {
    interop::input_cursor cursor(in, options.max_bytes);
    auto meta = interop::read_npy_header(cursor);
    // numpy ignores bytes after the data, and so does brine.
    auto data = cursor.read_buffer(meta.nbytes(), may_borrow, component_size(meta.dtype), "the data of a " + meta.describe());
    ndarray a(std::move(meta), std::move(data));
    return a.mapped() ? a : a.to_native();
}

}  // namespace

ndarray load(io::source& in, const load_options& options) {
    return load_npy(in, options, options.mmap != mmap_mode::none && options.mmap != mmap_mode::read_only_or_load);
}

ndarray load(const std::filesystem::path& file, const load_options& options) {
    codec::opened_input in(file, options, {.decode = false, .read_small_files = false});
    return load_npy(in.source(), options, in.mapped());
}

ndarray load(std::istream& stream, const load_options& options) {
    codec::opened_input in(stream, options, {.decode = false, .read_small_files = false});
    return load_npy(in.source(), options, false);
}

void dump(const ndarray& a, io::sink& out) {
    const auto header = interop::npy_header(a.meta());
    out.write(std::as_bytes(std::span(header.data(), header.size())));
    out.write(a.bytes());
    out.finish();
}

void dump(const ndarray& a, const std::filesystem::path& file) {
    io::atomic_file_sink out(file);
    dump(a, out);
}

void dump(const ndarray& a, std::ostream& stream) {
    io::ostream_sink out(stream);
    dump(a, out);
}

}  // namespace brine::npy
