// std::chrono as numpy's time types:
//   std::chrono::duration<Rep, Period>            -> timedelta64
//   std::chrono::time_point<system_clock, D>      -> datetime64 (std::chrono::sys_time)
// as scalars, and std::vector of them as 1-d arrays (loaded from lists of
// time scalars too). The unit is the
// period's: nanoseconds is [ns], minutes [m], 900 s [15m], days [D].
//
// Loading follows brine's rule that no value is rounded: the stored unit
// must be a whole multiple of the requested period (seconds load into
// milliseconds, never the reverse), and a datetime64 in years or months
// goes through the calendar to days. NaT loads as the type's min(), and
// min() saves as NaT; a value that overflows the requested type is an error.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/types/elements.hpp>
#include <brine/types/sequence.hpp>

#include <chrono>
#include <concepts>
#include <limits>
#include <memory>
#include <numeric>
#include <ranges>
#include <string>
#include <vector>

namespace brine {

namespace detail {

template <class T> struct chrono_kind { static constexpr bool is_time = false; };
template <std::integral Rep, class Period>
struct chrono_kind<std::chrono::duration<Rep, Period>> {
    static constexpr bool is_time = true;
    static constexpr dtype type = dtype::timedelta64;
    using period = Period;
    using rep = Rep;
    static Rep count(const std::chrono::duration<Rep, Period>& d) { return d.count(); }
    static std::chrono::duration<Rep, Period> from(Rep r) { return std::chrono::duration<Rep, Period>(r); }
};
template <std::integral Rep, class Period>
struct chrono_kind<std::chrono::time_point<std::chrono::system_clock, std::chrono::duration<Rep, Period>>> {
    static constexpr bool is_time = true;
    static constexpr dtype type = dtype::datetime64;
    using period = Period;
    using rep = Rep;
    using point = std::chrono::time_point<std::chrono::system_clock, std::chrono::duration<Rep, Period>>;
    static Rep count(const point& p) { return p.time_since_epoch().count(); }
    static point from(Rep r) { return point(std::chrono::duration<Rep, Period>(r)); }
};

// The numpy unit of a period: the largest base unit that divides it, with
// the quotient as its count ([15m] for 900 s). Periods no numpy unit
// divides (a third of a second) do not compile.
template <class Period>
consteval datetime_unit unit_of_period() {
    constexpr std::intmax_t lengths[][2] = {{604800, 1}, {86400, 1}, {3600, 1}, {60, 1}, {1, 1}, {1, 1000},
                                            {1, 1000000}, {1, 1000000000}, {1, 1000000000000},
                                            {1, 1000000000000000}, {1, 1000000000000000000}};
    constexpr time_unit bases[] = {time_unit::week, time_unit::day, time_unit::hour, time_unit::minute,
                                   time_unit::second, time_unit::millisecond, time_unit::microsecond,
                                   time_unit::nanosecond, time_unit::picosecond, time_unit::femtosecond,
                                   time_unit::attosecond};
    for (std::size_t i = 0; i < std::size(bases); ++i) {
        // Period / length = (num * length_den) / (den * length_num), reduced
        // first so that only absurd periods overflow (and are skipped).
        const std::intmax_t g1 = std::gcd(Period::num, lengths[i][0]), g2 = std::gcd(Period::den, lengths[i][1]);
        std::intmax_t num, den;
        if (__builtin_mul_overflow(Period::num / g1, lengths[i][1] / g2, &num) ||
            __builtin_mul_overflow(Period::den / g2, lengths[i][0] / g1, &den))
            continue;
        if (num % den == 0 && num / den <= 0xFFFFFFFF) return {bases[i], static_cast<std::uint32_t>(num / den)};
    }
    return {time_unit::generic, 0};  // rejected below
}

template <class T>
concept chrono_time = chrono_kind<T>::is_time && unit_of_period<typename chrono_kind<T>::period>().count != 0;

template <chrono_time T>
inline constexpr datetime_unit unit_of = unit_of_period<typename chrono_kind<T>::period>();

// Converts stored ticks of `stored` into counts of T's period, exactly;
// throws through `r` when the unit does not convert or a value overflows.
template <chrono_time T>
class tick_converter {
public:
    tick_converter(format::reader& r, dtype stored_type, datetime_unit stored, const std::string& what)
        : r_(r), what_(what), stored_(stored) {
        using K = chrono_kind<T>;
        if (stored_type != K::type) mismatch<T>(r, what);
        // Years and months have no fixed length: they become days first.
        calendar_ = stored_type == dtype::datetime64 && (stored.base == time_unit::year || stored.base == time_unit::month);
        const auto f = exact_factor(calendar_ ? datetime_unit{time_unit::day, 1} : stored, {K::period::num, K::period::den});
        if (!f) mismatch<T>(r, what);
        factor_ = *f;
    }
    typename chrono_kind<T>::rep operator()(std::int64_t ticks) const {
        using rep = typename chrono_kind<T>::rep;
        if (ticks == not_a_time) return std::numeric_limits<rep>::min();
        if (calendar_) {
            const auto days = calendar_days(ticks, stored_);
            if (!days) overflow();
            ticks = *days;
        }
        std::int64_t scaled;
        if (__builtin_mul_overflow(ticks, factor_, &scaled) || scaled < std::numeric_limits<rep>::min() ||
            scaled > std::numeric_limits<rep>::max())
            overflow();
        return static_cast<rep>(scaled);
    }

private:
    [[noreturn]] void overflow() const { r_.type_mismatch(what_ + " (a value overflows it)", serializer<T>::type_name()); }
    format::reader& r_;
    std::string what_;
    datetime_unit stored_;
    std::int64_t factor_ = 1;
    bool calendar_ = false;
};

template <chrono_time T>
std::int64_t ticks_of(const T& v) {
    using K = chrono_kind<T>;
    const auto c = K::count(v);
    if (c == std::numeric_limits<typename K::rep>::min()) return not_a_time;
    return static_cast<std::int64_t>(c);
}

template <chrono_time T>
std::string chrono_type_name() {
    using K = chrono_kind<T>;
    const std::string unit = unit_text(unit_of<T>);
    return K::type == dtype::datetime64 ? "std::chrono::sys_time<[" + unit + "]>" : "std::chrono::duration<[" + unit + "]>";
}

}  // namespace detail

template <detail::chrono_time T>
struct serializer<T> {
    using K = detail::chrono_kind<T>;
    static void save(format::writer& w, const T& v) { w.write_scalar(scalar::time(K::type, detail::ticks_of(v), detail::unit_of<T>)); }

    static void load(format::reader& r, T& v) {
        if (r.peek() != node_kind::scalar) detail::mismatch<T>(r);
        const scalar s = r.read_scalar();
        const std::string what = std::string(name(s.type())) + (has_time_unit(s.type()) ? "[" + unit_text(s.unit()) + "]" : "");
        const detail::tick_converter<T> convert(r, s.type(), s.unit(), what);
        v = K::from(convert(s.as<std::int64_t>()));
    }

    static std::string type_name() { return detail::chrono_type_name<T>(); }
};

template <detail::chrono_time T, class Alloc>
struct serializer<std::vector<T, Alloc>> {
    using K = detail::chrono_kind<T>;
    static void save(format::writer& w, const std::vector<T, Alloc>& v) {
        auto meta = array_meta::contiguous(K::type, {v.size()});
        meta.unit = detail::unit_of<T>;
        w.begin_array(meta);
        auto ticks = std::views::transform(v, [](const T& t) { return detail::ticks_of(t); });
        detail::write_elements_chunked<std::int64_t>(w, ticks.begin(), v.size());
        w.end_array();
    }

    static void load(format::reader& r, std::vector<T, Alloc>& v) {
        // A list of time scalars too (a Python list of numpy.datetime64).
        if (r.peek() == node_kind::list) return detail::sequence_serializer<std::vector<T, Alloc>>::load(r, v);
        if (r.peek() != node_kind::array) detail::mismatch<std::vector<T, Alloc>>(r);
        const array_meta& m = r.begin_array();
        if (m.shape.size() != 1) detail::mismatch<std::vector<T, Alloc>>(r, m.describe());
        const detail::tick_converter<T> convert(r, m.dtype, m.unit, m.describe());
        v.clear();
        detail::read_elements_appending<std::int64_t>(r, m, [&](std::span<const std::int64_t> ticks) {
            for (const auto t : ticks) v.push_back(K::from(convert(t)));
        });
        r.end_array();
    }

    static std::string type_name() { return "std::vector<" + detail::chrono_type_name<T>() + ">"; }
};

}  // namespace brine
