// What every command provides to main(): its name, a one-line summary for
// `brine --help`, its own help text, the arguments it accepts, and run().
#pragma once

#include "args.hpp"

#include <string_view>

namespace brine::cli {

// Exit statuses (README "Command line").
inline constexpr int exit_ok = 0;
inline constexpr int exit_data_error = 1;   // brine::error and friends: one line on stderr
inline constexpr int exit_usage_error = 2;  // usage_error: message and a hint to --help

struct command {
    std::string_view summary;  // one line, for `brine --help`
    std::string_view help;     // the whole text of `brine NAME --help`
    command_spec spec;  // spec.name is the command's name
    int (*run)(const parsed_args& args);
};

extern const command ls_command;
extern const command cat_command;
extern const command convert_command;
extern const command verify_command;
extern const command keygen_command;

}  // namespace brine::cli
