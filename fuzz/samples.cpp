#include "samples.hpp"

#include <complex>
#include <string>

namespace brine::fuzz {

value sample_tree() {
    const double grid[] = {1, 2, 3, 4, 5, 6};
    const std::int16_t small[] = {-1, 2, -3, 4};
    const std::complex<float> waves[] = {{1, -1}, {0.5f, 2}};
    map by_id;
    by_id.emplace_back(value(std::int32_t{-7}), value("minus seven"));
    by_id.emplace_back(value(std::uint8_t{200}), value(list{value(true), value(none)}));
    return dict{
        {"name", "sample \xc3\xa9t\xc3\xa9"},
        {"flag", true},
        {"count", std::int64_t{-123456789}},
        {"ratio", 0.25f},
        {"z", std::complex<double>{1.5, -2}},
        {"nothing", none},
        {"raw", bytes{std::byte{0}, std::byte{0xff}, std::byte{0x42}}},
        {"long_text", std::string(4100, 'x')},
        {"nested", list{value(list{}), value(dict{}), value(list{value(1.0), value("deep")})}},
        {"by_id", std::move(by_id)},
        {"grid", ndarray::copy_of<double>(grid, {2, 3})},
        {"fortran", ndarray::copy_of<std::int16_t>(small, {2, 2}, memory_order::fortran)},
        {"waves", ndarray::copy_of<std::complex<float>>(waves, {2})},
        {"scalar_array", ndarray::zeros(dtype::uint32, {})},
        {"empty_array", ndarray::zeros(dtype::float32, {0, 3})},
    };
}

fuzz_model sample_model() {
    fuzz_model m;
    m.name = "model";
    m.losses = {0.9, 0.5, 0.25};
    m.groups = {{"even", {0, 2, 4}}, {"odd", {1, 3}}, {"none", {}}};
    m.labels = {{-1, "negative"}, {3, "three"}};
    m.weights = xt::xtensor<float, 2>{{1, 2, 3}, {4, 5, 6}};
    m.grid = xt::xarray<double, xt::layout_type::column_major>{{1, 2}, {3, 4}, {5, 6}};
    m.note = "a note";
    m.tag = std::string("tagged");
    m.blobs = {{1, 2, 3}, {}, {255}};
    return m;
}

}  // namespace brine::fuzz
