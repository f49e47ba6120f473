// age keys on the command line: -i/--identity and --passphrase-file for
// every command that reads files, -r/--recipient and -R/--recipients-file
// for convert's output. A passphrase is only ever read from a file (or a
// pipe such as <(pass show x)), never taken from the command line itself,
// where other users can see it in the process list.
#pragma once

#include "args.hpp"

#include <brine/options.hpp>

#include <vector>

namespace brine::cli {

// The options for reading encrypted input.
inline const std::vector<option_spec> read_key_options{{"i", true}, {"identity", true}, {"passphrase-file", true}};
// The options for encrypting output (convert).
inline const std::vector<option_spec> write_key_options{{"r", true}, {"recipient", true}, {"R", true}, {"recipients-file", true}};

// `spec_options` followed by `more`.
std::vector<option_spec> with(std::vector<option_spec> spec_options, const std::vector<option_spec>& more);

// Identities and passphrase for loading, from -i/--identity and --passphrase-file.
load_options read_keys(const parsed_args& args);
// Recipients for writing, from -r/--recipient and -R/--recipients-file; the
// passphrase file when OUT ends in .age and no recipient is given.
void add_write_keys(const parsed_args& args, bool age_output, dump_options& options);

}  // namespace brine::cli
