// The benchmark workloads of issue 4, generated bit for bit as
// bench/workloads.py generates them for Python (same formulas, same
// integer hash), so brine, cereal, joblib and numpy write the same values.
//
//   W1  [ones((5000,5000)), uniform((5000,5000))]               400 MB
//   W2  {"d": 1 M "k0000000"..: float, "arrays": 100 k float64[8]}
//   W3  LFW-like: images float32 (13233, 62, 47), smooth sinusoids + noise,
//       quantized to 8-bit levels; target int64; names: 13233 strings
//
// The uniform doubles come from splitmix64 (53-bit mantissa like numpy's
// random()), not from numpy's generator, so that both languages produce the
// same bytes.
#pragma once

#include <brine/brine.hpp>

#include <xtensor/xtensor.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

namespace bench {

inline std::uint64_t splitmix64(std::uint64_t n) {
    std::uint64_t z = n + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
// Uniform in [0, 1) with 53 random bits, the n-th of a fixed sequence.
inline double uniform(std::uint64_t n) { return static_cast<double>(splitmix64(n) >> 11) * 0x1.0p-53; }

// Offsets into the sequence, one per use.
inline constexpr std::uint64_t w1_seed = 0;
inline constexpr std::uint64_t w2_dict_seed = 1ull << 40;
inline constexpr std::uint64_t w2_arrays_seed = 2ull << 40;
inline constexpr std::uint64_t w3_param_seed = 3ull << 40;
inline constexpr std::uint64_t w3_noise_seed = 4ull << 40;
inline constexpr std::uint64_t w3_label_seed = 5ull << 40;

// ---- W1 ---------------------------------------------------------------
using w1_t = std::vector<xt::xtensor<double, 2>>;

inline w1_t make_w1(std::size_t n = 5000) {
    w1_t w(2);
    w[0] = xt::xtensor<double, 2>::from_shape({n, n});
    w[1] = xt::xtensor<double, 2>::from_shape({n, n});
    std::fill(w[0].begin(), w[0].end(), 1.0);
    double* p = w[1].data();
    for (std::size_t i = 0; i < n * n; ++i) p[i] = uniform(w1_seed + i);
    return w;
}
inline std::size_t data_bytes(const w1_t& w) { return (w[0].size() + w[1].size()) * sizeof(double); }
inline bool check(const w1_t& w, std::size_t n = 5000) {
    return w.size() == 2 && w[0].size() == n * n && w[1].size() == n * n && w[0](n - 1, n - 1) == 1.0 &&
           w[1](0, 0) == uniform(w1_seed) && w[1](n - 1, n - 1) == uniform(w1_seed + n * n - 1);
}

// ---- W2 ---------------------------------------------------------------
struct w2_t {
    std::unordered_map<std::string, double> d;
    std::vector<xt::xtensor<double, 1>> arrays;
};
BRINE_FIELDS(w2_t, d, arrays)

inline constexpr std::size_t w2_keys = 1'000'000, w2_arrays = 100'000;

inline std::string w2_key(std::size_t i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "k%07zu", i);
    return buf;
}
inline w2_t make_w2() {
    w2_t w;
    w.d.reserve(w2_keys);
    for (std::size_t i = 0; i < w2_keys; ++i) w.d.emplace(w2_key(i), uniform(w2_dict_seed + i));
    w.arrays.reserve(w2_arrays);
    for (std::size_t i = 0; i < w2_arrays; ++i) {
        xt::xtensor<double, 1> a = xt::xtensor<double, 1>::from_shape({8});
        for (std::size_t j = 0; j < 8; ++j) a(j) = uniform(w2_arrays_seed + 8 * i + j);
        w.arrays.push_back(std::move(a));
    }
    return w;
}
// Payload bytes: keys, doubles, array data.
inline std::size_t data_bytes(const w2_t&) { return w2_keys * (8 + 8) + w2_arrays * 64; }
inline bool check(const w2_t& w) {
    if (w.d.size() != w2_keys || w.arrays.size() != w2_arrays) return false;
    auto it = w.d.find(w2_key(w2_keys - 1));
    return it != w.d.end() && it->second == uniform(w2_dict_seed + w2_keys - 1) && w.arrays.back().size() == 8 &&
           w.arrays.back()(7) == uniform(w2_arrays_seed + 8 * w2_arrays - 1);
}

// ---- W3 ---------------------------------------------------------------
struct w3_t {
    xt::xtensor<float, 3> images;
    xt::xtensor<std::int64_t, 1> target;
    std::vector<std::string> names;
};
BRINE_FIELDS(w3_t, images, target, names)

inline constexpr std::size_t w3_n = 13233, w3_h = 62, w3_w = 47, w3_people = 5749;

// One pixel: two low-frequency sinusoids per image and a little noise,
// quantized to 256 levels and scaled to [0, 1] as float32 (as LFW's
// fetch_lfw_people(resize=0.5) gives: 8-bit pixels / 255).
inline float w3_pixel(std::size_t k, std::size_t y, std::size_t x) {
    const double fx = 0.05 + 0.25 * uniform(w3_param_seed + 4 * k);
    const double fy = 0.05 + 0.25 * uniform(w3_param_seed + 4 * k + 1);
    const double px = 6.283185307179586 * uniform(w3_param_seed + 4 * k + 2);
    const double py = 6.283185307179586 * uniform(w3_param_seed + 4 * k + 3);
    const std::uint64_t idx = (k * w3_h + y) * w3_w + x;
    const double xd = static_cast<double>(x), yd = static_cast<double>(y);
    const double v = 0.45 + 0.25 * std::sin(fx * xd + px) * std::cos(fy * yd + py) +
                     0.15 * std::cos(0.5 * fx * (xd + yd) + py) + 0.03 * (uniform(w3_noise_seed + idx) - 0.5);
    const double q = std::min(255.0, std::max(0.0, std::nearbyint(255.0 * v)));
    return static_cast<float>(q / 255.0);
}
inline std::int64_t w3_label(std::size_t k) {
    return static_cast<std::int64_t>(uniform(w3_label_seed + k) * static_cast<double>(w3_people));
}
inline std::string w3_name(std::size_t k) { return "Person_" + std::to_string(w3_label(k)); }

inline w3_t make_w3() {
    w3_t w;
    w.images = xt::xtensor<float, 3>::from_shape({w3_n, w3_h, w3_w});
    w.target = xt::xtensor<std::int64_t, 1>::from_shape({w3_n});
    float* p = w.images.data();
    for (std::size_t k = 0; k < w3_n; ++k) {
        for (std::size_t y = 0; y < w3_h; ++y)
            for (std::size_t x = 0; x < w3_w; ++x) *p++ = w3_pixel(k, y, x);
        w.target(k) = w3_label(k);
        w.names.push_back(w3_name(k));
    }
    return w;
}
inline std::size_t data_bytes(const w3_t& w) {
    std::size_t n = w.images.size() * 4 + w.target.size() * 8;
    for (const auto& s : w.names) n += s.size();
    return n;
}
inline bool check(const w3_t& w) {
    const std::size_t k = w3_n - 1;
    return w.images.shape()[0] == w3_n && w.images(k, w3_h - 1, w3_w - 1) == w3_pixel(k, w3_h - 1, w3_w - 1) &&
           w.target(k) == w3_label(k) && w.names.size() == w3_n && w.names.back() == w3_name(k);
}

}  // namespace bench
