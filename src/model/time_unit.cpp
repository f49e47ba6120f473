// datetime64/timedelta64 units: numpy's spellings and the fixed lengths.
#include <brine/model/time_unit.hpp>

#include "model/time_text.hpp"

#include <array>
#include <charconv>

namespace brine {

namespace {

__extension__ typedef __int128 wide;  // __extension__: not ISO C++, and -Wpedantic knows it

struct unit_row {
    std::string_view code;
    std::intmax_t num, den;  // seconds; 0/0 without a fixed length
};

// Row i describes time_unit i.
constexpr std::array<unit_row, time_unit_count> units{{
    {"generic", 0, 0},
    {"Y", 0, 0},
    {"M", 0, 0},
    {"W", 604800, 1},
    {"D", 86400, 1},
    {"h", 3600, 1},
    {"m", 60, 1},
    {"s", 1, 1},
    {"ms", 1, 1000},
    {"us", 1, 1000000},
    {"ns", 1, 1000000000},
    {"ps", 1, 1000000000000},
    {"fs", 1, 1000000000000000},
    {"as", 1, 1000000000000000000},
}};

}  // namespace

std::string_view unit_code(time_unit u) noexcept {
    const auto i = static_cast<std::uint8_t>(u);
    return i < time_unit_count ? units[i].code : std::string_view{"invalid"};
}

std::string unit_text(datetime_unit u) {
    std::string s = u.count == 1 || u.base == time_unit::generic ? std::string{} : std::to_string(u.count);
    return s += unit_code(u.base);
}

std::optional<datetime_unit> parse_unit(std::string_view text) noexcept {
    if (text.empty() || text == "generic") return datetime_unit{};
    std::uint32_t count = 1;
    const char* digits_end = text.data();
    while (digits_end != text.data() + text.size() && *digits_end >= '0' && *digits_end <= '9') ++digits_end;
    if (digits_end != text.data()) {
        const auto [end, ec] = std::from_chars(text.data(), digits_end, count);
        if (ec != std::errc{} || end != digits_end || count == 0) return std::nullopt;
    }
    const std::string_view code(digits_end, static_cast<std::size_t>(text.data() + text.size() - digits_end));
    // "μs" is numpy's other spelling of microseconds.
    if (code == "\xce\xbcs") return datetime_unit{time_unit::microsecond, count};
    for (std::uint8_t i = 1; i < time_unit_count; ++i)
        if (units[i].code == code) return datetime_unit{static_cast<time_unit>(i), count};
    return std::nullopt;
}

std::optional<seconds_ratio> fixed_length(time_unit u) noexcept {
    const auto i = static_cast<std::uint8_t>(u);
    if (i >= time_unit_count || units[i].den == 0) return std::nullopt;
    return seconds_ratio{units[i].num, units[i].den};
}

std::optional<std::int64_t> exact_factor(datetime_unit from, seconds_ratio to) noexcept {
    const auto length = fixed_length(from.base);
    if (!length || to.num <= 0 || to.den <= 0) return std::nullopt;
    // count * num / den seconds, in units of to.num / to.den seconds.
    const wide numerator = static_cast<wide>(from.count) * length->num * to.den;
    const wide denominator = static_cast<wide>(length->den) * to.num;
    if (numerator % denominator != 0) return std::nullopt;
    const wide factor = numerator / denominator;
    if (factor > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
    return static_cast<std::int64_t>(factor);
}

std::optional<std::int64_t> calendar_days(std::int64_t ticks, datetime_unit from) noexcept {
    if (ticks == not_a_time) return not_a_time;
    const wide v = static_cast<wide>(ticks) * from.count;
    // Beyond +-2^40 years no day count fits anyway.
    if (v > (wide{1} << 44) || v < -(wide{1} << 44)) return std::nullopt;
    const auto n = static_cast<std::int64_t>(v);
    if (from.base == time_unit::year) return detail::days_from_civil(1970 + n, 1, 1);
    if (from.base == time_unit::month) {
        const std::int64_t year = n >= 0 ? n / 12 : -((-n + 11) / 12);
        return detail::days_from_civil(1970 + year, static_cast<unsigned>(n - year * 12 + 1), 1);
    }
    return std::nullopt;
}

}  // namespace brine
