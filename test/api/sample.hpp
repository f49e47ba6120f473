// A realistic tree touching every supported type, shared by the API tests.
#pragma once

#include "../common/files.hpp"

#include <brine/brine.hpp>

#include <xtensor/xarray.hpp>
#include <xtensor/xfixed.hpp>
#include <xtensor/xrandom.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <cmath>
#include <complex>
#include <deque>
#include <filesystem>
#include <limits>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include <unistd.h>

namespace brine::test {

struct layer {
    std::string name;
    xt::xtensor<float, 2> weights;
    xt::xtensor<float, 1> bias;
    friend bool operator==(const layer&, const layer&) = default;
};
BRINE_FIELDS(layer, name, weights, bias)

struct everything {
    bool flag = true;
    std::int8_t i8 = std::numeric_limits<std::int8_t>::min();
    std::uint8_t u8 = 255;
    std::int16_t i16 = -32768;
    std::uint16_t u16 = 65535;
    std::int32_t i32 = std::numeric_limits<std::int32_t>::min();
    std::uint32_t u32 = std::numeric_limits<std::uint32_t>::max();
    std::int64_t i64 = std::numeric_limits<std::int64_t>::min();
    std::uint64_t u64 = std::numeric_limits<std::uint64_t>::max();
    float f = -0.0f;
    double inf = std::numeric_limits<double>::infinity();
    double ninf = -std::numeric_limits<double>::infinity();
    std::complex<double> z{1.5, -2.5};
    std::complex<float> zf{3, 4};
    std::string text = "grüße, 世界 \xf0\x9f\x8c\x8d";
    std::string empty_text;
    std::vector<double> losses{0.9, 0.5, 0.25};
    std::vector<double> no_losses;
    std::vector<std::string> words{"a", "", "ccc"};
    std::vector<bool> bits{true, false, true};
    std::array<int, 3> triple{1, 2, 3};
    std::deque<float> dq{1, 2};
    std::list<std::string> names{"x", "y"};
    std::map<std::string, int> counts{{"a", 1}, {"b", 2}};
    std::map<int, std::string> by_id{{-1, "neg"}, {7, "seven"}};
    std::unordered_map<std::string, double> umap{{"pi", 3.14159}};
    std::set<int> primes{2, 3, 5, 7};
    std::unordered_set<std::string> tags{"t1", "t2"};
    std::pair<int, std::string> pr{1, "one"};
    std::tuple<int, double, std::string> tup{1, 2.0, "three"};
    std::optional<int> some = 5;
    std::optional<int> nothing;
    std::variant<int, std::string, std::vector<double>> var = std::string("alt");
    xt::xarray<double> grid = xt::xarray<double>({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
    xt::xarray<double, xt::layout_type::column_major> fgrid = xt::xarray<double, xt::layout_type::column_major>({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}});
    xt::xarray<int> zero_d = xt::xarray<int>(42);
    xt::xtensor<double, 2> zero_size = xt::xtensor<double, 2>::from_shape({0, 3});
    xt::xtensor_fixed<std::uint16_t, xt::xshape<2, 2>> fixed{{1, 2}, {3, 4}};
    xt::xtensor<std::complex<float>, 1> ctensor{{1.0f, 2.0f}, {3.0f, -4.0f}};
    std::vector<layer> layers;
    brine::value extra = brine::dict{{"nested", brine::list{1, "two", brine::none}}};

    friend bool operator==(const everything& a, const everything& b) {
        auto same_nan = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
        return a.flag == b.flag && a.i8 == b.i8 && a.u8 == b.u8 && a.i16 == b.i16 && a.u16 == b.u16 && a.i32 == b.i32 &&
               a.u32 == b.u32 && a.i64 == b.i64 && a.u64 == b.u64 && std::signbit(a.f) == std::signbit(b.f) &&
               same_nan(a.inf, b.inf) && same_nan(a.ninf, b.ninf) && a.z == b.z && a.zf == b.zf && a.text == b.text &&
               a.empty_text == b.empty_text && a.losses == b.losses && a.no_losses == b.no_losses && a.words == b.words &&
               a.bits == b.bits && a.triple == b.triple && a.dq == b.dq && a.names == b.names && a.counts == b.counts &&
               a.by_id == b.by_id && a.umap == b.umap && a.primes == b.primes && a.tags == b.tags && a.pr == b.pr &&
               a.tup == b.tup && a.some == b.some && a.nothing == b.nothing && a.var == b.var && a.grid == b.grid &&
               a.fgrid == b.fgrid && a.zero_d == b.zero_d && a.zero_size.shape() == b.zero_size.shape() &&
               a.fixed == b.fixed && a.ctensor == b.ctensor && a.layers == b.layers && a.extra == b.extra;
    }
};
BRINE_FIELDS(everything, flag, i8, u8, i16, u16, i32, u32, i64, u64, f, inf, ninf, z, zf, text, empty_text, losses,
             no_losses, words, bits, triple, dq, names, counts, by_id, umap, primes, tags, pr, tup, some, nothing, var,
             grid, fgrid, zero_d, zero_size, fixed, ctensor, layers, extra)

inline everything make_everything() {
    everything e;
    xt::random::seed(7);
    for (int i = 0; i < 3; ++i) {
        layer l;
        l.name = "layer" + std::to_string(i);
        l.weights = xt::random::randn<float>({16, 8});
        l.bias = xt::random::rand<float>({8});
        e.layers.push_back(std::move(l));
    }
    return e;
}

}  // namespace brine::test
