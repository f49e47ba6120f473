// brine verify FILE: read every byte with every check the format offers.
#include "command.hpp"
#include "frozen_map_files.hpp"
#include "input.hpp"
#include "keys.hpp"

#include <iostream>

namespace brine::cli {

namespace {

struct array_tally {
    std::uint64_t arrays = 0, bytes = 0;
    void add(const brine::value& v) {
        if (v.is_array()) {
            ++arrays;
            bytes += v.as_array().nbytes();
        } else if (v.is_list()) {
            for (const auto& x : v.as_list()) add(x);
        } else if (v.is_dict()) {
            for (const auto& [k, x] : v.as_dict()) add(x);
        } else if (v.is_map()) {
            for (const auto& [k, x] : v.as_map()) add(k), add(x);
        }
    }
};

// What a full load of a file without checksums has checked, said plainly.
std::string checks_without_checksums(const file_identity& id) {
    const std::string codec_check = id.codec == codec_id::none
        ? ""
        : "the " + std::string(info(id.codec).name) + " stream's own integrity checks, ";
    switch (id.format) {
    case file_format::joblib:
        return codec_check + "the pickle structure and that every array's data is complete (joblib files carry no checksums)";
    case file_format::npy: return "the header and that the data is complete (npy files carry no checksums)";
    case file_format::npz: return "the zip structure, every member's CRC-32 and every npy header";
    case file_format::brine: break;
    }
    return codec_check;
}

int run(const parsed_args& args) {
    const auto file = *args.positional(0);
    if (is_frozen_map_file(file)) return verify_frozen_map(file);
    const auto threads = static_cast<unsigned>(args.number("threads", 0, 4096).value_or(0));
    auto keys = read_keys(args);
    keys.threads = threads;
    const auto id = identify(file, keys);
    const auto summary = file + ": OK (" + format_text(id) + ", codec " + codec_text(id) + "): ";

    if (id.format == file_format::brine) {
        const auto report = brine::verify(file, keys);
        if (!report.ok) {
            // report.message is the error's what(): file and offset already in it, often the path too.
            std::cerr << "brine verify: " << report.message;
            if (!report.path.empty() && report.message.find(report.path) == std::string::npos)
                std::cerr << " (in " << report.path << ")";
            std::cerr << '\n';
            return exit_data_error;
        }
        std::cout << summary << "records " << report.records << ", arrays " << report.arrays << " ("
                  << human_bytes(report.array_bytes) << "); checked "
                  << (id.codec == codec_id::none ? "" : "the " + std::string(info(id.codec).name) + " stream's own checks, ")
                  << "every array checksum, the structure checksum and the table of contents\n";
        return exit_ok;
    }
    // No mapping: every byte is read, so npz CRC-32s are checked too.
    const auto whole = load_whole(file, id, {.map_if_possible = false, .threads = threads, .keys = keys});
    array_tally tally;
    tally.add(whole.value);
    std::cout << summary << "loaded fully, arrays " << tally.arrays << " (" << human_bytes(tally.bytes) << "); checked "
              << checks_without_checksums(id) << '\n';
    return exit_ok;
}

}  // namespace

const command verify_command{
    "check every checksum and the structure of a file",
    R"help(usage: brine verify FILE [--threads N]

Reads all of FILE with every check its format offers and reports the first
problem: its place in the tree, its offset (in the uncompressed stream for
format errors, in the file for codec errors) and what is wrong, on one
line on stderr, with exit status 1. A good file prints one line on stdout
saying what was checked, with exit status 0.

  brine    the codec's own checks (CRC, checksums of each block), every
           array's checksum, the structure checksum, and the table of
           contents against the records it indexes.
  joblib   a full load: the codec's own checks when compressed, the pickle
           structure, every array's data present. joblib files have no
           checksums, so a changed byte inside array data goes unnoticed.
  npy      a full load: header, data length. No checksums either.
  npz      a full load: zip structure, every member's CRC-32, npy headers.

Memory stays bounded for brine files; other formats are loaded whole.

Options:
  --threads N  decompression threads (default: all cores)
  -i, --identity FILE    age identity file, for an encrypted file
  --passphrase-file F    its passphrase, from F's first line (never on the command line)
  -h, --help   this text
)help",
    {"verify", 1, 1, with({{"threads", true}}, read_key_options)},
    run,
};

}  // namespace brine::cli
