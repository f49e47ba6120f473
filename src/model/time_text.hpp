// Text for datetime64 and timedelta64 values, as numpy's str() writes them:
// ISO 8601 dates and times to the unit's precision ("2020-01-31",
// "2020-01-31T12:30:00.000000000"), "NaT", and "15 minutes".
#pragma once

#include <brine/model/time_unit.hpp>

#include <cstdint>
#include <string>

namespace brine::detail {

void append_datetime(std::string& out, std::int64_t ticks, datetime_unit unit);
void append_timedelta(std::string& out, std::int64_t ticks, datetime_unit unit);

// The proleptic Gregorian date of a day count since 1970-01-01, and back
// (Howard Hinnant's civil calendar algorithms).
struct civil_date {
    std::int64_t year;
    unsigned month, day;  // 1-12, 1-31
};
civil_date civil_from_days(std::int64_t days) noexcept;
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept;

}  // namespace brine::detail
