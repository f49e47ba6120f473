// brine cat FILE [PATH] [--json]: the value, as Python-like text or strict JSON.
#include "command.hpp"
#include "frozen_map_files.hpp"
#include "spill_store.hpp"
#include "input.hpp"
#include "keys.hpp"
#include "json.hpp"

#include <iostream>
#include <limits>

namespace brine::cli {

namespace {

// Like numpy's print threshold: enough to read, not a wall of numbers.
constexpr std::size_t default_array_items = 1000;

int run(const parsed_args& args) {
    const auto file = *args.positional(0);
    if (is_frozen_map_file(file)) return cat_frozen_map(file, args);  // PATH is the KEY
    const auto steps = split_tree_path(args.positional(1).value_or(""));
    const bool json = args.flag("json");
    if (json && args.flag("all")) throw usage_error("--all is for text output; --json always prints every element");

    const auto print = [&](const brine::value& v) {
        if (json) write_json(std::cout, v);
        else std::cout << to_string(v, args.flag("all") ? std::numeric_limits<std::size_t>::max() : default_array_items);
        std::cout << '\n';
    };
    if (is_store_directory(file)) {
        if (!args.positional(1)) throw usage_error("brine cat DIR KEY: name the key of the spill store's entry");
        print(spill_store_value(file, *args.positional(1), read_keys(args)));
        std::cout.flush();
        return exit_ok;
    }
    const auto keys = read_keys(args);
    const auto id = identify(file, keys);
    if (id.format == file_format::brine) {
        print(select(brine::open(file, keys), steps, file).entry.value());  // reads the selected entry only
    } else {
        // Read, not mapped: what is printed has passed every check the format has (npz CRC-32s).
        const auto whole = load_whole(file, id, {.map_if_possible = false, .keys = keys});
        std::string where;
        print(select(whole.value, steps, file, where));
    }
    std::cout.flush();
    if (!std::cout) throw io_error({"<stdout>", std::nullopt}, "cannot write the output");
    return exit_ok;
}

}  // namespace

const command cat_command{
    "print a value, or the subtree at PATH, as text or JSON",
    R"help(usage: brine cat FILE [PATH] [--json | --all]
       brine cat DIR KEY [--json | --all]

With DIR, a spill store (brine::spill_map), prints the value under KEY.

Prints the value FILE holds, or the subtree at PATH (keys and positions
separated by '/', such as model/weights or layers/3; negative positions
count from the end). Only the selected entry of a brine file is read.
On a frozen map file (.brinemap), the second argument is a KEY: its text,
or the integer it spells when there is no such text key:
  brine cat ids.brinemap "some key" --json

Text output is Python-like; arrays show at most 1000 elements unless
--all is given.

--json prints strict JSON (RFC 8259) on one line, every element included:
  none -> null, bool -> true/false, integers exact (all of int64/uint64),
  floats in the shortest form that reads back to the same value of their
  dtype, NaN and infinities as the strings "nan", "inf", "-inf",
  complex -> [re, im], strings as strings with each byte of invalid UTF-8
  replaced by \ufffd, bytes -> base64 text, lists -> arrays,
  dicts -> objects (in order), maps with non-string keys -> arrays of
  [key, value] pairs, n-d arrays -> nested arrays following the shape in
  row-major order (whatever the memory order); 0-d arrays -> the element.

Options:
  --json      strict JSON instead of text
  --all       text: print every array element
  -i, --identity FILE    age identity file, for an encrypted file
  --passphrase-file F    its passphrase, from F's first line (never on the command line)
  -h, --help  this text
)help",
    {"cat", 1, 2, with({{"json"}, {"all"}}, read_key_options)},
    run,
};

}  // namespace brine::cli
