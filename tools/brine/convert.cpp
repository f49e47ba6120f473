// brine convert IN OUT: any readable format and codec to any writable one.
// The whole tree is loaded (uncompressed inputs are memory-mapped, so their
// arrays are not copied), then written through the library's own writers
// into an atomically replaced file.
#include "command.hpp"
#include "frozen_map_files.hpp"
#include "counting.hpp"
#include "input.hpp"
#include "keys.hpp"

#include <brine/crypto/age.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/file.hpp>
#include <brine/model/value_path.hpp>

#include <array>
#include <iostream>
#include <ostream>

namespace brine::cli {

namespace {

// What OUT becomes: --format, else its extension once a codec extension is
// set aside ("x.pkl.gz" -> joblib). Anything unrecognised is a brine file,
// as the library names no extension for brine files.
file_format output_format(const parsed_args& args, std::filesystem::path out) {
    if (const auto f = args.value("format")) {
        for (auto candidate : {file_format::brine, file_format::joblib, file_format::npy, file_format::npz})
            if (*f == name(candidate)) return candidate;
        throw usage_error("--format wants brine, joblib, npy or npz, not '" + *f + "'");
    }
    out = age::without_age_extension(out);
    if (codec_from_extension(out)) out.replace_extension();
    const auto ext = out.extension().string();
    if (ext == ".npy") return file_format::npy;
    if (ext == ".npz") return file_format::npz;
    if (ext == ".pkl" || ext == ".pickle" || ext == ".joblib") return file_format::joblib;
    return file_format::brine;
}

struct output_codec {
    codec_id codec = codec_id::none;  // brine, joblib
    bool deflate = false;             // npz members
    std::optional<int> level;
};

output_codec choose_codec(const parsed_args& args, file_format format, const std::filesystem::path& out) {
    output_codec c;
    const auto name_given = args.value("codec");
    if (format == file_format::npz) {
        // npz compresses member by member, with deflate only.
        if (name_given && *name_given != "none" && *name_given != "deflate" && *name_given != "zlib")
            throw usage_error(".npz members are stored (--codec none) or deflated (--codec deflate), not '" + *name_given + "'");
        if (!name_given && codec_from_extension(out))
            throw usage_error(out.string() + ": an .npz is a zip, not compressed as a whole; use --codec deflate to compress its members");
        c.deflate = name_given && *name_given != "none";
        if (const auto level = args.number("level", 0, 9)) c.level = static_cast<int>(*level);
        if (args.value("level") && !c.deflate) throw usage_error("--level needs --codec deflate for an .npz");
        return c;
    }
    if (name_given) {
        const auto id = codec_from_name(*name_given);
        if (!id) {
            std::string names;
            for (const auto& i : codecs()) names += (names.empty() ? "" : ", ") + std::string(i.name);
            throw usage_error("unknown codec '" + *name_given + "' (codecs: " + names + ")");
        }
        c.codec = *id;
    } else {
        c.codec = codec_from_extension(age::without_age_extension(out)).value_or(codec_id::none);
    }
    if (format == file_format::npy && c.codec != codec_id::none)
        throw usage_error("an .npy file cannot be compressed; use .npz with --codec deflate, or a brine or joblib file");
    if (args.value("level")) {
        const auto& i = info(c.codec);
        if (c.codec == codec_id::none) throw usage_error("--level needs a codec (--codec or a codec extension such as .zst)");
        c.level = static_cast<int>(*args.number("level", static_cast<std::uint64_t>(std::max(0, i.min_level)),
                                                 static_cast<std::uint64_t>(i.max_level)));
    }
    return c;
}

[[noreturn]] void cannot_hold(const std::string& out, std::string_view what, const std::string& where, const brine::value& v) {
    throw error({out, std::nullopt}, "an ." + std::string(what) + " file holds " +
                                         (what == "npy" ? "one array" : "a dict of arrays or one array") + ", but " + where +
                                         " is a " + v.describe());
}

const ndarray& as_npy(const brine::value& v, const std::string& out) {
    if (!v.is_array()) cannot_hold(out, "npy", "root", v);
    return v.as_array();
}

// numpy's own naming for a lone array: np.savez(f, a) stores it as arr_0.
dict as_npz(const brine::value& v, const std::string& out) {
    if (v.is_array()) return dict{{"arr_0", v}};
    if (!v.is_dict()) cannot_hold(out, "npz", "root", v);
    for (const auto& [key, child] : v.as_dict())
        if (!child.is_array()) cannot_hold(out, "npz", path_text("root", std::array{path_step::dict_key(key)}), child);
    return v.as_dict();
}

int run(const parsed_args& args) {
    const std::filesystem::path in = *args.positional(0), out = *args.positional(1);
    if (wants_frozen_map(args, out)) return convert_to_frozen_map(in, out, args);
    const auto format = output_format(args, out);
    const auto codec = choose_codec(args, format, out);
    const auto threads = static_cast<unsigned>(args.number("threads", 0, 4096).value_or(0));
    if (args.flag("progress") && args.flag("no-progress")) throw usage_error("--progress and --no-progress contradict each other");
    progress bar(args.flag("progress") || (!args.flag("no-progress") && stderr_is_terminal()));

    const auto keys = read_keys(args);
    dump_options sealed;  // age encryption of the output, when asked for
    add_write_keys(args, age::has_age_extension(out), sealed);
    const auto id = identify(in, keys);
    bar.phase("reading " + in.filename().string(), id.file_size);
    const auto whole = load_whole(in, id, {.map_if_possible = true, .threads = threads, .reporter = &bar, .keys = keys});
    const auto& v = whole.value;

    // Check the shape of the tree before anything is written.
    std::optional<dict> npz_members;
    if (format == file_format::npy) as_npy(v, out.string());
    if (format == file_format::npz) npz_members = as_npz(v, out.string());

    // Compressed output has no size known in advance: the line then shows bytes and rate.
    const bool compressed = codec.codec != codec_id::none || codec.deflate;
    bar.phase("writing " + out.filename().string(), compressed ? std::nullopt : std::optional(data_bytes(v)));
    io::atomic_file_sink file(out);
    const auto encryptor = sealed.recipients.empty() && sealed.passphrase.empty()
                               ? nullptr
                               : age::encrypting_sink(file, {.recipients = sealed.recipients, .passphrase = sealed.passphrase, .threads = threads});
    counting_sink counted(encryptor ? *encryptor : static_cast<io::sink&>(file), [&bar](std::uint64_t n) { bar.advance(n); });
    sink_ostreambuf buffer(counted);
    std::ostream stream(&buffer);
    stream.exceptions(std::ios::badbit);  // the sink's brine::error, not a bare failbit
    naming_file(out.string(), [&] {
        switch (format) {
        case file_format::brine: brine::dump(v, stream, {.codec = codec.codec, .level = codec.level, .threads = threads}); break;
        case file_format::joblib: joblib::dump(v, stream, {.codec = codec.codec, .level = codec.level, .threads = threads}); break;
        case file_format::npy: npy::dump(as_npy(v, out.string()), counted); break;
        case file_format::npz:
            npz::dump(*npz_members, counted, {.compress = codec.deflate, .level = codec.level});
            break;
        }
        stream.flush();
        if (!counted.finished()) counted.finish();  // renames the file into place
    });
    bar.finish();

    const auto written = io::file_source(out).size();
    std::cout << in.string() << " (" << format_text(id) << ", " << codec_text(id) << ", " << human_bytes(id.file_size)
              << ") -> " << out.string() << " (" << name(format) << ", "
              << (format == file_format::npz ? (codec.deflate ? "deflate" : "stored") : info(codec.codec).name) << ", "
              << human_bytes(written) << ")\n";
    return exit_ok;
}

}  // namespace

const command convert_command{
    "re-encode a file into another codec or format",
    R"help(usage: brine convert IN OUT [--codec C] [--level N] [--threads N]
                            [--format F] [--progress | --no-progress]

Reads IN (brine with any codec, joblib, npy or npz) and writes the same tree
to OUT, replacing OUT atomically: on any error OUT stays as it was.

OUT's format comes from its name, a codec extension set aside:
  .npy               numpy array file (the tree must be one array)
  .npz               numpy zip of arrays (a dict of arrays, or one array,
                     stored as arr_0)
  .pkl .pickle .joblib   joblib pickle, loadable by joblib.load
  .brinemap          frozen map (docs/guide.md): one entry per key of the
                     dict (or integer-keyed map) at IN's root; a brine IN is
                     read one value at a time. --memory-limit-mb N bounds the
                     builder's index memory (default 256); --last-wins keeps
                     the last of duplicate keys instead of failing
  anything else      brine (e.g. .brine)
or from --format brine|joblib|npy|npz.

The codec comes from OUT's last extension (.z zlib, .gz gzip, .bz2, .lzma,
.xz, .lz4, .zst zstd; none otherwise) unless --codec names one. joblib
cannot read zstd. An .npz is never compressed as a whole: --codec deflate
compresses its members (np.savez_compressed), --codec none stores them.

  brine convert model.pkl.gz model.brine       # uncompressed, ready for mmap
  brine convert model.brine model.brine.zst --level 19
  brine convert run.brine arrays.npz

A progress line appears on stderr when stderr is a terminal and the work
takes more than half a second: the input's bytes while reading, then the
bytes written (with a percentage when the output is uncompressed).
On success one line on stdout names both files with format, codec, size.

Options:
  --codec C      none, zlib, gzip, bz2, lzma, xz, lz4, zstd (npz: none, deflate)
  --level N      codec level (range depends on the codec)
  --threads N    compression and decompression threads (default: all cores)
  --format F     output format: brine, joblib, npy or npz
  --progress     show progress even when stderr is not a terminal
  --no-progress  never show progress
  -r, --recipient R      encrypt OUT with age to recipient R (age1...)
  -R, --recipients-file F  encrypt OUT to every recipient in F
  -i, --identity FILE    age identity file for an encrypted IN
  --passphrase-file F    passphrase (first line of F) for an encrypted IN, and
                         for an OUT ending in .age when no -r/-R is given
  -h, --help     this text

Encryption (age, docs/reliability.md "Security") is the outermost layer:
  brine convert model.brine model.brine.zst.age -r age1...   # age(zstd(brine))
  age -d -i key.txt model.brine.zst.age > model.brine.zst
)help",
    {"convert", 2, 2,
     with(with({{"codec", true}, {"level", true}, {"threads", true}, {"format", true}, {"progress"}, {"no-progress"},
                {"memory-limit-mb", true}, {"last-wins"}},
               read_key_options),
          write_key_options)},
    run,
};

}  // namespace brine::cli
