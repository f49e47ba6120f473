#include "keys.hpp"

#include <brine/crypto/age.hpp>
#include <brine/error.hpp>

#include <fstream>
#include <iterator>

namespace brine::cli {
namespace {

std::optional<std::string> either(const parsed_args& args, std::string_view short_name, std::string_view long_name) {
    const auto a = args.value(short_name), b = args.value(long_name);
    if (a && b) throw usage_error("-" + std::string(short_name) + " and --" + std::string(long_name) + " given both");
    return a ? a : b;
}

std::string read_passphrase(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw io_error({file, std::nullopt}, "cannot open the passphrase file");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) throw usage_error("the passphrase file " + file + " starts with an empty line");
    return line;
}

}  // namespace

std::vector<option_spec> with(std::vector<option_spec> spec_options, const std::vector<option_spec>& more) {
    spec_options.insert(spec_options.end(), more.begin(), more.end());
    return spec_options;
}

load_options read_keys(const parsed_args& args) {
    load_options o;
    if (const auto i = either(args, "i", "identity")) o.identities.push_back(*i);
    if (const auto p = args.value("passphrase-file")) o.passphrase = read_passphrase(*p);
    return o;
}

void add_write_keys(const parsed_args& args, bool age_output, dump_options& options) {
    if (const auto r = either(args, "r", "recipient")) options.recipients.push_back(*r);
    if (const auto f = either(args, "R", "recipients-file"))
        for (auto& r : age::read_recipients_file(*f)) options.recipients.push_back(std::move(r));
    if (options.recipients.empty() && age_output) {
        if (const auto p = args.value("passphrase-file")) options.passphrase = read_passphrase(*p);
        else throw usage_error("an .age output needs -r, -R or --passphrase-file");
    }
}

}  // namespace brine::cli
