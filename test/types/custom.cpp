// Types brine does not know: the guide's serializer<T> example ("A type you
// cannot change"), compiled and round-tripped as written there, and enums,
// which store their underlying integer (types/enum.hpp).
#include "round_trip.hpp"

#include <array>
#include <map>

// --- the guide's example, verbatim ---------------------------------------------
namespace geo {  // a library you cannot change: private state, no brine_fields
class point {
public:
    point() = default;
    point(double lat, double lon) : lat_(lat), lon_(lon) {}
    double lat() const { return lat_; }
    double lon() const { return lon_; }
    friend bool operator==(const point&, const point&) = default;

private:
    double lat_ = 0, lon_ = 0;
};
}  // namespace geo

template <>
struct brine::serializer<geo::point> {
    // A float64 array [lat, lon]: numpy and `brine cat` show it as such.
    static void save(brine::format::writer& w, const geo::point& p) {
        brine::save(w, std::array<double, 2>{p.lat(), p.lon()});
    }
    static void load(brine::format::reader& r, geo::point& p) {
        std::array<double, 2> a{};
        brine::load(r, a);
        p = geo::point(a[0], a[1]);
    }
    static std::string type_name() { return "geo::point"; }
};
// --- end of the example --------------------------------------------------------

namespace {
enum class color : std::uint8_t { red = 1, green = 2, blue = 200 };
enum legacy { first, second = -7 };  // unscoped, int underneath
}  // namespace

using namespace brine::test;

TEST_CASE("custom serializer<T>: the guide's example round-trips alone and inside containers") {
    static_assert(brine::serializable<geo::point>);
    const geo::point p(52.52, 13.405);
    CHECK(round_trip(p) == p);
    CHECK(root_kind(saved(p)) == brine::node_kind::array);  // what generic tools see
    const std::vector<geo::point> route{p, {48.85, 2.35}};
    CHECK(round_trip(route) == route);
    const std::map<std::string, geo::point> named{{"berlin", p}};
    CHECK(round_trip(named) == named);
    // Its type name is in the messages of what does not fit.
    CHECK(load_error<geo::point>(saved(std::string("not a point"))).find("std::array") != std::string::npos);
    CHECK(brine::type_name<geo::point>() == "geo::point");
}

TEST_CASE("enums store their underlying integer, scoped or not") {
    static_assert(brine::serializable<color> && brine::serializable<legacy>);
    CHECK(round_trip(color::blue) == color::blue);
    CHECK(round_trip(second) == second);
    CHECK(loaded<std::uint8_t>(saved(color::blue)) == 200);  // Python reads an int
    CHECK(loaded<int>(saved(second)) == -7);
    CHECK(converted<color>(std::uint8_t{2}) == color::green);
    const std::vector<color> colors{color::red, color::blue};
    CHECK(round_trip(colors) == colors);
    const std::map<std::string, color> by_name{{"sky", color::blue}};
    CHECK(round_trip(by_name) == by_name);
    // The underlying type's rule: an int64 does not narrow into uint8.
    CHECK(load_error<color>(saved(std::int64_t{2})).find("requested std::uint8_t") != std::string::npos);
}
