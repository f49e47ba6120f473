#include "model/time_text.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace brine::detail {

namespace {

__extension__ typedef __int128 wide;  // __extension__: not ISO C++, and -Wpedantic knows it

// Floor division and its non-negative remainder.
wide floor_div(wide a, wide b) noexcept { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
wide floor_mod(wide a, wide b) noexcept { return a - floor_div(a, b) * b; }

void append_int(std::string& out, wide v) {
    if (v < 0) {
        out += '-';
        v = -v;
    }
    char digits[48];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
        v /= 10;
    } while (v);
    while (n) out += digits[--n];
}

void append_padded(std::string& out, wide v, int width) {
    std::string digits;
    append_int(digits, v);
    if (static_cast<int>(digits.size()) < width) out.append(static_cast<std::size_t>(width) - digits.size(), '0');
    out += digits;
}

void append_year(std::string& out, std::int64_t year) {
    // ISO 8601 writes at least four digits; numpy writes years past 9999 as they are.
    if (year < 0) {
        out += '-';
        append_padded(out, -static_cast<wide>(year), 4);
    } else {
        append_padded(out, year, 4);
    }
}

void append_date(std::string& out, std::int64_t days) {
    const auto d = civil_from_days(days);
    append_year(out, d.year);
    out += '-';
    append_padded(out, d.month, 2);
    out += '-';
    append_padded(out, d.day, 2);
}

// Digits after the seconds' point for units below a second.
int fraction_digits(time_unit u) noexcept {
    switch (u) {
    case time_unit::millisecond: return 3;
    case time_unit::microsecond: return 6;
    case time_unit::nanosecond: return 9;
    case time_unit::picosecond: return 12;
    case time_unit::femtosecond: return 15;
    case time_unit::attosecond: return 18;
    default: return 0;
    }
}

}  // namespace

civil_date civil_from_days(std::int64_t days) noexcept {
    const wide z = static_cast<wide>(days) + 719468;
    const wide era = floor_div(z, 146097);
    const auto doe = static_cast<std::int64_t>(z - era * 146097);                    // [0, 146096]
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
    const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
    const auto day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const auto month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    const wide year = static_cast<wide>(yoe) + era * 400 + (month <= 2);
    return {static_cast<std::int64_t>(year), month, day};
}

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept {
    const wide y = static_cast<wide>(year) - (month <= 2);
    const wide era = floor_div(y, 400);
    const auto yoe = static_cast<std::int64_t>(y - era * 400);
    const std::int64_t mp = month > 2 ? month - 3 : month + 9;
    const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era * 146097 + doe - 719468);
}

void append_datetime(std::string& out, std::int64_t ticks, datetime_unit unit) {
    if (ticks == not_a_time) {
        out += "NaT";
        return;
    }
    const wide v = static_cast<wide>(ticks) * unit.count;
    switch (unit.base) {
    case time_unit::generic: append_int(out, v); return;
    case time_unit::year: append_year(out, static_cast<std::int64_t>(1970 + v)); return;
    case time_unit::month: {
        append_year(out, static_cast<std::int64_t>(1970 + floor_div(v, 12)));
        out += '-';
        append_padded(out, floor_mod(v, 12) + 1, 2);
        return;
    }
    case time_unit::week: append_date(out, static_cast<std::int64_t>(v * 7)); return;
    case time_unit::day: append_date(out, static_cast<std::int64_t>(v)); return;
    default: break;
    }
    // Hours and below: split into days, seconds of the day, and a fraction.
    const auto length = *fixed_length(unit.base);
    wide seconds, fraction = 0;
    const int digits = fraction_digits(unit.base);
    if (length.den == 1) {
        seconds = v * length.num;
    } else {
        seconds = floor_div(v, length.den);
        fraction = floor_mod(v, length.den);
    }
    append_date(out, static_cast<std::int64_t>(floor_div(seconds, 86400)));
    const wide of_day = floor_mod(seconds, 86400);
    out += 'T';
    append_padded(out, of_day / 3600, 2);
    if (unit.base == time_unit::hour) return;
    out += ':';
    append_padded(out, of_day / 60 % 60, 2);
    if (unit.base == time_unit::minute) return;
    out += ':';
    append_padded(out, of_day % 60, 2);
    if (digits) {
        out += '.';
        append_padded(out, fraction, digits);
    }
}

void append_timedelta(std::string& out, std::int64_t ticks, datetime_unit unit) {
    if (ticks == not_a_time) {
        out += "NaT";
        return;
    }
    static constexpr std::array<const char*, time_unit_count> names{
        "", "years", "months", "weeks", "days", "hours", "minutes", "seconds",
        "milliseconds", "microseconds", "nanoseconds", "picoseconds", "femtoseconds", "attoseconds"};
    append_int(out, static_cast<wide>(ticks) * unit.count);
    if (unit.base != time_unit::generic) {
        out += ' ';
        out += names[static_cast<std::uint8_t>(unit.base)];
    }
}

}  // namespace brine::detail
