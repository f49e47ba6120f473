// bool, every integer width, float, double and std::complex: one scalar
// record with the value's dtype (brine::element covers exactly these).
//
// Loading follows the conversion rule of brine/model/scalar.hpp: the stored dtype
// must convert losslessly to T, whatever the particular value. So an int32
// loads into std::int64_t or double, and an int64 never loads into
// std::int32_t, even when it holds 3. A 0-d array (what numpy calls a scalar
// array) loads as a scalar under the same rule.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/types/elements.hpp>

#include <complex>
#include <span>
#include <string>
#include <type_traits>

namespace brine {

template <element T>
struct serializer<T> {
    static void save(format::writer& w, const T& v) { w.write_number(v); }

    static void load(format::reader& r, T& v) {
        switch (r.peek()) {
        case node_kind::scalar: {
            const scalar s = r.read_scalar();
            if (const auto x = s.get<T>()) {
                v = *x;
                return;
            }
            detail::mismatch<T>(r, name(s.type()));
        }
        case node_kind::array: {
            const array_meta& m = r.begin_array();
            if (!m.shape.empty() || !converts_losslessly(m.dtype, dtype_of<T>))
                detail::mismatch<T>(r, m.describe());
            detail::read_elements(r, m, std::span<T>(&v, 1));
            r.end_array();
            return;
        }
        default: detail::mismatch<T>(r);
        }
    }

    static std::string type_name() {
        using U = std::remove_cv_t<T>;
        if constexpr (std::is_same_v<U, bool>) return "bool";
        else if constexpr (std::is_same_v<U, char>) return "char";
        else if constexpr (std::is_same_v<U, float>) return "float";
        else if constexpr (std::is_same_v<U, double>) return "double";
        else if constexpr (std::is_same_v<U, std::complex<float>>) return "std::complex<float>";
        else if constexpr (std::is_same_v<U, std::complex<double>>) return "std::complex<double>";
        else return "std::" + std::string(name(dtype_of<U>)) + "_t";  // std::int32_t, std::uint8_t
    }
};

}  // namespace brine
