#include "interop/python_datetime.hpp"

#include "interop/allowed_globals.hpp"
#include "model/time_text.hpp"

#include <string>

namespace brine::interop {
namespace {

constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_day = 86'400 * us_per_second;

unsigned byte_at(const std::string& b, std::size_t i) { return static_cast<unsigned char>(b[i]); }

// The packed form: bytes (protocol 3+), or latin-1 text through
// _codecs.encode or as str (protocol 2 and older).
std::string packed(const py_object& o, std::size_t size, const char* who, const input_cursor& at) {
    if (o.kind != py_kind::bytes && o.kind != py_kind::str)
        at.fail(std::string(who) + " expects its packed bytes, found " + kind_name(o.kind));
    if (o.text.size() != size)
        at.fail(std::string(who) + " expects " + std::to_string(size) + " packed bytes, found " + std::to_string(o.text.size()));
    return o.text;
}

std::int64_t as_int(const py_object& o, const char* what, const input_cursor& at) {
    if (o.kind != py_kind::integer || o.number.type() == dtype::uint64)
        at.fail(std::string("expected an int for ") + what + ", found " + kind_name(o.kind));
    return o.number.as<std::int64_t>();
}

// Year, month (its top bit is datetime's fold flag), day, checked as Python does.
std::int64_t packed_days(const std::string& b, const char* who, const input_cursor& at) {
    const unsigned year = byte_at(b, 0) * 256 + byte_at(b, 1), month = byte_at(b, 2) & 0x7F, day = byte_at(b, 3);
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
        at.fail(std::string(who) + " with an invalid date " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day));
    return detail::days_from_civil(year, month, day);
}

// Hour (top bit: fold), minute, second, microsecond (3 bytes), from `at_byte`.
std::int64_t packed_time_us(const std::string& b, std::size_t i, const char* who, const input_cursor& at) {
    const unsigned hour = byte_at(b, i) & 0x7F, minute = byte_at(b, i + 1), second = byte_at(b, i + 2);
    const unsigned micro = byte_at(b, i + 3) << 16 | byte_at(b, i + 4) << 8 | byte_at(b, i + 5);
    if (hour > 23 || minute > 59 || second > 59 || micro > 999'999) at.fail(std::string(who) + " with an invalid time of day");
    return ((hour * 60 + minute) * 60 + static_cast<std::int64_t>(second)) * us_per_second + micro;
}

// The object its pickle describes (what a zone-aware value stays).
py_object& as_object(py_arena& arena, allowed_global cls, const py_object& args, const input_cursor& at) {
    auto& o = arena.make(py_kind::object);
    const auto [module, qualname] = spelling_of(cls);
    o.module = module;
    o.qualname = qualname;
    o.build = build_kind::reduce;
    o.args = const_cast<py_object*>(&args);
    o.offset = at.offset();
    return o;
}

// A naive value: the object, carrying the time scalar it is. Outside other
// objects it becomes that scalar (python_to_value); inside one (a pandas
// Timestamp's parts, a timezone's offset) it stays the Python object, so
// that writing it back gives Python what it had.
py_object& time_value(py_arena& arena, allowed_global cls, const py_object& args, const input_cursor& at, dtype t,
                      std::int64_t ticks, time_unit unit) {
    auto& o = as_object(arena, cls, args, at);
    o.global = cls;
    o.number = scalar::time(t, ticks, {unit, 1});
    return o;
}

}  // namespace

py_object& call_datetime(py_arena& arena, allowed_global cls, const py_object& args, const input_cursor& at) {
    if (args.kind != py_kind::tuple || args.items.empty()) at.fail("a datetime class called without arguments");
    const auto& first = *args.items[0];
    const bool zoned = args.items.size() == 2 && args.items[1]->kind != py_kind::none;
    switch (cls) {
    case allowed_global::datetime_datetime: {
        if (args.items.size() > 2) at.fail("datetime.datetime expects its packed bytes and a tzinfo at most");
        if (zoned) return as_object(arena, cls, args, at);
        const auto b = packed(first, 10, "datetime.datetime", at);
        return time_value(arena, cls, args, at, dtype::datetime64,
                           packed_days(b, "datetime.datetime", at) * us_per_day + packed_time_us(b, 4, "datetime.datetime", at),
                           time_unit::microsecond);
    }
    case allowed_global::datetime_date: {
        if (args.items.size() != 1) at.fail("datetime.date expects its packed bytes");
        return time_value(arena, cls, args, at, dtype::datetime64, packed_days(packed(first, 4, "datetime.date", at), "datetime.date", at),
                           time_unit::day);
    }
    case allowed_global::datetime_time: {
        if (args.items.size() > 2) at.fail("datetime.time expects its packed bytes and a tzinfo at most");
        if (zoned) return as_object(arena, cls, args, at);
        return time_value(arena, cls, args, at, dtype::timedelta64, packed_time_us(packed(first, 6, "datetime.time", at), 0, "datetime.time", at),
                           time_unit::microsecond);
    }
    case allowed_global::datetime_timedelta: {
        if (args.items.size() > 3) at.fail("datetime.timedelta expects (days, seconds, microseconds)");
        // Python keeps |days| <= 999999999, so microseconds fit int64.
        const std::int64_t days = as_int(first, "a timedelta's days", at);
        const std::int64_t seconds = args.items.size() > 1 ? as_int(*args.items[1], "a timedelta's seconds", at) : 0;
        const std::int64_t micro = args.items.size() > 2 ? as_int(*args.items[2], "a timedelta's microseconds", at) : 0;
        if (days < -999'999'999 || days > 999'999'999 || seconds < 0 || seconds >= 86'400 || micro < 0 || micro > 999'999)
            at.fail("datetime.timedelta(" + std::to_string(days) + ", " + std::to_string(seconds) + ", " + std::to_string(micro) +
                    ") is outside what Python builds");
        return time_value(arena, cls, args, at, dtype::timedelta64, days * us_per_day + seconds * us_per_second + micro, time_unit::microsecond);
    }
    default: break;
    }
    at.fail("not a datetime class");
}

}  // namespace brine::interop
