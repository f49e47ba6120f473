// std::chrono durations and system_clock time points as timedelta64 and
// datetime64: units from the period, exact conversions only, NaT as min().
#include "round_trip.hpp"

#include <brine/value/value.hpp>
#include <brine/types/value.hpp>

#include <chrono>
#include <limits>

using namespace brine;
using namespace brine::test;
using namespace std::chrono;

namespace {
// The stored scalar of a saved value, through brine::value.
scalar stored(const std::vector<std::byte>& file) { return loaded<value>(file).as_scalar(); }
}  // namespace

TEST_CASE("durations are timedelta64 in the period's unit") {
    CHECK(stored(saved(nanoseconds(5))).unit() == datetime_unit{time_unit::nanosecond, 1});
    CHECK(stored(saved(minutes(5))).unit() == datetime_unit{time_unit::minute, 1});
    CHECK(stored(saved(duration<std::int64_t, std::ratio<900>>(2))).unit() == datetime_unit{time_unit::minute, 15});
    CHECK(stored(saved(days(3))).unit() == datetime_unit{time_unit::day, 1});
    CHECK(stored(saved(weeks(1))).unit() == datetime_unit{time_unit::week, 1});
    CHECK(stored(saved(seconds(90))).type() == dtype::timedelta64);
    CHECK(stored(saved(seconds(90))).to_string() == "90 seconds");
    for (auto v : {nanoseconds(0), nanoseconds(-7), nanoseconds::max()}) CHECK(round_trip(v) == v);
    CHECK(round_trip(hours(-30)) == hours(-30));
}

TEST_CASE("time points of system_clock are datetime64") {
    const sys_days day = 2021y / June / 30;
    CHECK(stored(saved(day)).type() == dtype::datetime64);
    CHECK(stored(saved(day)).to_string() == "2021-06-30");
    const sys_time<nanoseconds> t = day + 12h + 30min + 5s + 123ns;
    CHECK(stored(saved(t)).to_string() == "2021-06-30T12:30:05.000000123");
    CHECK(round_trip(t) == t);
    const sys_seconds before = sys_days(1969y / December / 31) + 23h + 59min + 59s;
    CHECK(stored(saved(before)).to_string() == "1969-12-31T23:59:59");
}

TEST_CASE("a unit loads into finer periods only, exactly") {
    CHECK(converted<nanoseconds>(seconds(3)) == nanoseconds(3'000'000'000));
    CHECK(converted<sys_time<milliseconds>>(sys_days(1970y / January / 2)) == sys_time<milliseconds>(86'400'000ms));
    // Coarser would round: refused, whatever the value.
    CHECK(load_error<seconds>(saved(milliseconds(3000))).find("timedelta64[ms]") != std::string::npos);
    CHECK_THROWS_AS(loaded<minutes>(saved(seconds(60))), type_error);
    // A datetime is not a duration, nor the reverse.
    CHECK_THROWS_AS(loaded<seconds>(saved(sys_seconds(5s))), type_error);
    CHECK_THROWS_AS(loaded<sys_seconds>(saved(seconds(5))), type_error);
    // Overflow of the requested type is an error, not a wrap.
    CHECK_THROWS_AS(loaded<nanoseconds>(saved(seconds(std::numeric_limits<std::int64_t>::max() / 10))), type_error);
}

TEST_CASE("years and months load through the calendar") {
    const auto file = written([](format::writer& w) {
        w.begin_list(2);
        w.write_scalar(scalar::time(dtype::datetime64, 51, {time_unit::year, 1}));    // 2021
        w.write_scalar(scalar::time(dtype::datetime64, 613, {time_unit::month, 1}));  // 2021-02
        w.end();
    });
    const auto dates = loaded<std::vector<sys_days>>(file);
    REQUIRE(dates.size() == 2);
    CHECK(dates[0] == sys_days(2021y / January / 1));
    CHECK(dates[1] == sys_days(2021y / February / 1));
    CHECK(loaded<value>(file).as_list()[1].as_scalar().to_string() == "2021-02");
    // A timedelta of months has no fixed length.
    const auto months = written([](format::writer& w) { w.write_scalar(scalar::time(dtype::timedelta64, 2, {time_unit::month, 1})); });
    CHECK_THROWS_AS(loaded<days>(months), type_error);
}

TEST_CASE("NaT is min(), both ways") {
    CHECK(stored(saved(nanoseconds::min())).to_string() == "NaT");
    CHECK(round_trip(nanoseconds::min()) == nanoseconds::min());
    // NaT in seconds loads into nanoseconds as min(), not as an overflow.
    CHECK(converted<nanoseconds>(seconds::min()) == nanoseconds::min());
}

TEST_CASE("vectors of durations and time points are 1-d arrays") {
    const std::vector<sys_time<microseconds>> times{sys_days(2000y / January / 1) + 1us, sys_time<microseconds>::min(),
                                                    sys_days(1900y / March / 1)};
    const auto file = saved(times);
    CHECK(root_kind(file) == node_kind::array);
    const auto a = loaded<value>(file).as_array();
    CHECK(a.meta().dtype_text() == "datetime64[us]");
    CHECK(a.at(std::uint64_t{1}).to_string() == "NaT");
    CHECK(a.at(std::uint64_t{2}).to_string() == "1900-03-01T00:00:00.000000");
    CHECK(round_trip(times) == times);
    CHECK(converted<std::vector<sys_time<nanoseconds>>>(times)[0] == sys_days(2000y / January / 1) + 1000ns);
    const std::vector<minutes> gaps(100000, 15min);
    CHECK(round_trip(gaps) == gaps);
    CHECK_THROWS_AS(loaded<std::vector<hours>>(saved(gaps)), type_error);
}
