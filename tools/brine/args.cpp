#include "args.hpp"

#include <charconv>

namespace brine::cli {

std::optional<std::string> parsed_args::value(std::string_view name) const {
    if (auto it = values_.find(std::string(name)); it != values_.end()) return it->second;
    return std::nullopt;
}

std::optional<std::uint64_t> parsed_args::number(std::string_view name, std::uint64_t min, std::uint64_t max) const {
    const auto text = value(name);
    if (!text) return std::nullopt;
    std::uint64_t n = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, n);
    if (text->empty() || ec != std::errc{} || ptr != end || n < min || n > max)
        throw usage_error("--" + std::string(name) + " wants a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", not '" + *text + "'");
    return n;
}

std::optional<std::string> parsed_args::positional(std::size_t i) const {
    if (i < positionals.size()) return positionals[i];
    return std::nullopt;
}

parsed_args parse(const command_spec& spec, std::span<const std::string_view> args) {
    parsed_args out;
    bool options_ended = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto arg = args[i];
        // "-" alone is a positional (conventionally stdin), never an option.
        if (options_ended || arg.size() < 2 || arg[0] != '-') {
            out.positionals.emplace_back(arg);
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            out.help = true;
            continue;
        }
        // A short option ("-i") is one whose spec name is a single letter.
        const bool short_option = !arg.starts_with("--") && arg.size() == 2;
        if (!arg.starts_with("--") && !short_option) throw usage_error("unknown option '" + std::string(arg) + "'");
        auto name = arg.substr(short_option ? 1 : 2);
        std::optional<std::string_view> inline_value;
        if (const auto eq = name.find('='); eq != std::string_view::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const option_spec* opt = nullptr;
        for (const auto& o : spec.options)
            if (o.name == name) opt = &o;
        if (!opt) throw usage_error("unknown option '--" + std::string(name) + "'");
        std::string v;
        if (opt->takes_value) {
            if (inline_value) v = *inline_value;
            else if (i + 1 < args.size()) v = args[++i];
            else throw usage_error("--" + std::string(name) + " needs a value");
        } else if (inline_value) {
            throw usage_error("--" + std::string(name) + " takes no value");
        }
        out.values_[std::string(name)] = std::move(v);
    }
    if (out.help) return out;
    if (out.positionals.size() < spec.min_positionals)
        throw usage_error("missing argument" + std::string(spec.min_positionals - out.positionals.size() > 1 ? "s" : ""));
    if (out.positionals.size() > spec.max_positionals)
        throw usage_error("unexpected argument '" + out.positionals[spec.max_positionals] + "'");
    return out;
}

}  // namespace brine::cli
