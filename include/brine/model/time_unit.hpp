// The unit of a datetime64 or timedelta64 value, as numpy has it: a base
// unit (years down to attoseconds, or generic) and a multiple ("15m" is 15
// minutes). Values are int64 counts of the unit since 1970-01-01T00:00 (a
// datetime) or in all (a timedelta); the smallest int64 is NaT, not a time.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace brine {

// The codes are part of the file format (docs/format.md); never renumber.
enum class time_unit : std::uint8_t {
    generic = 0,
    year = 1, month = 2, week = 3, day = 4,
    hour = 5, minute = 6, second = 7,
    millisecond = 8, microsecond = 9, nanosecond = 10,
    picosecond = 11, femtosecond = 12, attosecond = 13,
};
inline constexpr std::uint8_t time_unit_count = 14;

struct datetime_unit {
    time_unit base = time_unit::generic;
    std::uint32_t count = 1;  // >= 1; exactly 1 for generic
    friend bool operator==(const datetime_unit&, const datetime_unit&) = default;
};

// NaT: numpy's "not a time", in every unit.
inline constexpr std::int64_t not_a_time = std::numeric_limits<std::int64_t>::min();

// numpy's spelling of a base unit ("ns", "m", "generic") and of a unit
// ("ns", "15m", and "generic" for generic).
std::string_view unit_code(time_unit u) noexcept;
std::string unit_text(datetime_unit u);
// The unit inside numpy's brackets ("ns", "15m", "generic", or "" for
// generic); nullopt for anything else.
std::optional<datetime_unit> parse_unit(std::string_view text) noexcept;

// A base unit's length in seconds as num/den, for the units that have a
// fixed one (weeks down to attoseconds); nullopt for years, months and
// generic, whose lengths depend on the calendar or are unknown.
struct seconds_ratio {
    std::intmax_t num, den;
};
std::optional<seconds_ratio> fixed_length(time_unit u) noexcept;

// What a count of `from` is multiplied by to count units of `to` seconds,
// when that is a whole number: nullopt when `from` is not a whole multiple
// of `to` (so loading it would round), has no fixed length (years, months,
// generic), or the factor exceeds int64.
std::optional<std::int64_t> exact_factor(datetime_unit from, seconds_ratio to) noexcept;

// A datetime64 in years or months as days since 1970-01-01, through the
// calendar; NaT stays NaT. nullopt for other units, or past int64's range.
std::optional<std::int64_t> calendar_days(std::int64_t ticks, datetime_unit from) noexcept;

}  // namespace brine
