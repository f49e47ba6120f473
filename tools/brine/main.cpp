// brine: inspect, print, convert and verify brine, joblib, npy and npz files.
// main() finds the command, parses its arguments and turns exceptions into
// the documented exit statuses; each command lives in its own file.
#include "command.hpp"

#include <brine/error.hpp>

#include <algorithm>
#include <array>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#ifndef BRINE_VERSION
#define BRINE_VERSION "unknown"
#endif

namespace {

using namespace brine::cli;

const std::array<const command*, 5> commands = {&ls_command, &cat_command, &convert_command, &verify_command, &keygen_command};

void print_usage(std::ostream& out) {
    out << "usage: brine COMMAND [ARGS...]\n"
           "       brine COMMAND --help\n\n"
           "Inspect, print, convert and verify brine files (any codec), joblib pickles\n"
           "(.pkl, compressed or not), numpy .npy and .npz files.\n\n"
           "Commands:\n";
    for (const auto* c : commands) {
        std::string name(c->spec.name);
        name.resize(9, ' ');
        out << "  " << name << c->summary << '\n';
    }
    out << "\nExit status: 0 success, 1 data error (one line on stderr), 2 usage error.\n"
           "Options: -h, --help (this text), --version.\n";
}

// Messages are one line, whatever the library put in them.
std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

int usage_failure(std::string_view who, const std::string& message, std::string_view help_hint) {
    std::cerr << who << ": " << one_line(message) << "\nTry '" << help_hint << "'.\n";
    return exit_usage_error;
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_usage(std::cerr);
        return exit_usage_error;
    }
    if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        if (args[0] == "help" && args.size() > 1) {
            for (const auto* c : commands)
                if (c->spec.name == args[1]) {
                    std::cout << c->help;
                    return exit_ok;
                }
            return usage_failure("brine", "no command '" + std::string(args[1]) + "'", "brine --help");
        }
        print_usage(std::cout);
        return exit_ok;
    }
    if (args[0] == "--version") {
        std::cout << "brine " << BRINE_VERSION << '\n';
        return exit_ok;
    }
    const auto it = std::find_if(commands.begin(), commands.end(), [&](const command* c) { return c->spec.name == args[0]; });
    if (it == commands.end())
        return usage_failure("brine", "no command '" + std::string(args[0]) + "' (commands: ls, cat, convert, verify, keygen)",
                             "brine --help");
    const command& cmd = **it;
    const std::string who = "brine " + std::string(cmd.spec.name);
    try {
        const auto parsed = parse(cmd.spec, std::span(args).subspan(1));
        if (parsed.help) {
            std::cout << cmd.help;
            return exit_ok;
        }
        return cmd.run(parsed);
    } catch (const usage_error& e) {
        return usage_failure(who, e.what(), who + " --help");
    } catch (const brine::error& e) {
        std::cerr << who << ": " << one_line(e.what()) << '\n';
    } catch (const std::bad_alloc&) {
        std::cerr << who << ": out of memory\n";
    } catch (const std::exception& e) {
        // Anything else is still about the data (a filesystem error, a range check).
        std::cerr << who << ": " << one_line(e.what()) << '\n';
    }
    return exit_data_error;
}
