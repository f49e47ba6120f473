// The metadata record of one memoized result: cachedir/name/version/<key>/
// metadata.brine, next to the result's output.brine. A plain brine file (a
// dict), so `brine ls` shows it.
#pragma once

#include <brine/types/arithmetic.hpp>
#include <brine/types/fields.hpp>
#include <brine/types/string.hpp>

#include <cstdint>
#include <string>

namespace brine {

struct memory_entry {
    std::string function;   // the name given to memory::cache
    std::string version;    // its version tag
    std::string key;        // the argument key (argument_hash.hpp)
    std::string arguments;  // a short human summary of the arguments
    double duration = 0;    // seconds the function took
    double created = 0;     // Unix time, seconds
    double last_used = 0;   // Unix time of the last hit (or the creation): what LRU eviction orders by
    std::uint64_t output_bytes = 0;  // size of output.brine
};
BRINE_FIELDS(memory_entry, function, version, key, arguments, duration, created, last_used, output_bytes)

}  // namespace brine
