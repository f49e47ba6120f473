// The argument parser every command shares: positionals, long options with
// or without a value (`--level 9`, `--level=9`), `-h`/`--help`, and `--` to
// end options. Hand-written so the tool needs nothing beyond libbrine.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace brine::cli {

// Bad command line: main() prints it with a hint to --help and exits 2.
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct option_spec {
    std::string_view name;  // without the dashes: "level"
    bool takes_value = false;
};

struct command_spec {
    std::string_view name;                 // "ls"
    std::size_t min_positionals = 0, max_positionals = 0;
    std::vector<option_spec> options;      // -h/--help is always accepted
};

class parsed_args {
public:
    std::vector<std::string> positionals;
    bool help = false;

    bool flag(std::string_view name) const { return values_.count(std::string(name)) != 0; }
    std::optional<std::string> value(std::string_view name) const;
    // The option's value as a number in [min, max]; throws usage_error naming the option.
    std::optional<std::uint64_t> number(std::string_view name, std::uint64_t min, std::uint64_t max) const;
    // The i-th positional, or nullopt when it was not given.
    std::optional<std::string> positional(std::size_t i) const;

private:
    friend parsed_args parse(const command_spec&, std::span<const std::string_view>);
    std::map<std::string, std::string> values_;  // flags map to ""
};

// Throws usage_error for unknown options, missing option values and a wrong
// number of positionals (unless --help was asked for).
parsed_args parse(const command_spec& spec, std::span<const std::string_view> args);

}  // namespace brine::cli
