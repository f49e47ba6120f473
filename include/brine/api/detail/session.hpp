// The compiled glue behind the dump/load templates: opening files and
// streams, choosing the codec, atomic replacement, mapping. Templates stay
// thin; codec headers stay out of user code. Not part of the public API
// (brine::detail): users call dump, load and open.
#pragma once

#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/options.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>

namespace brine::detail {

// Where one dump goes: the sink chain (atomic file or stream, then the codec)
// and the record writer on top of it.
class dump_session {
public:
    dump_session(const std::filesystem::path& file, const dump_options& options);
    dump_session(std::ostream& out, const dump_options& options);
    ~dump_session();
    dump_session(const dump_session&) = delete;
    dump_session& operator=(const dump_session&) = delete;

    format::writer& writer() noexcept;
    // Writes the footer and commits (renames the file into place).
    void finish();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Where one load comes from: file, mapping or stream, the decoder chosen by
// magic number, and the record reader on top.
class load_session {
public:
    load_session(const std::filesystem::path& file, const load_options& options);
    load_session(std::istream& in, const load_options& options);
    ~load_session();
    load_session(const load_session&) = delete;
    load_session& operator=(const load_session&) = delete;

    format::reader& reader() noexcept;
    codec_id codec() const noexcept;
    // Reads the footer; checks checksums and that nothing follows. Returns
    // the table of contents.
    format::table_of_contents finish();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};


}  // namespace brine::detail
