// brine::dump: one call writes a whole object tree to one file or stream.
#pragma once

#include <brine/api/detail/session.hpp>
#include <brine/serialize.hpp>

#include <filesystem>
#include <ostream>

namespace brine {

// The codec comes from options.codec, else from the last extension of `file`
// (".gz", ".zst", ...). The previous file is replaced atomically: on any error
// it stays as it was.
template <saveable T>
void dump(const T& obj, const std::filesystem::path& file, const dump_options& options = {}) {
    detail::dump_session session(file, options);
    save(session.writer(), obj);
    session.finish();
}

// Writes to any std::ostream, including a pipe or a brine::codec_ostream. The
// codec is options.codec, or none.
template <saveable T>
void dump(const T& obj, std::ostream& out, const dump_options& options = {}) {
    detail::dump_session session(out, options);
    save(session.writer(), obj);
    session.finish();
}

}  // namespace brine
