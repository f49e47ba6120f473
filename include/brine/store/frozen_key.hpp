// The keys of a frozen map: text, bytes or integers. frozen_key is a view
// that converts implicitly from each (the caller keeps text and bytes alive
// for the call); frozen_map_key owns a key read back from a file.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace brine {

// Integers are one key space: 7, 7u and int8_t{7} are the same key. Values
// above INT64_MAX are the uint64 alternative.
using frozen_map_key = std::variant<std::string, std::vector<std::byte>, std::int64_t, std::uint64_t>;

template <class T>
concept frozen_integer_key = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool> &&
                             !std::same_as<std::remove_cv_t<T>, char> && !std::same_as<std::remove_cv_t<T>, char8_t>;

class frozen_key {
public:
    enum class kind : std::uint8_t { string, bytes, int64, uint64 };

    frozen_key(std::string_view s) noexcept : kind_(kind::string), data_(s) {}
    frozen_key(const std::string& s) noexcept : frozen_key(std::string_view(s)) {}
    frozen_key(const char* s) noexcept : frozen_key(std::string_view(s)) {}
    frozen_key(std::span<const std::byte> b) noexcept
        : kind_(kind::bytes), data_(reinterpret_cast<const char*>(b.data()), b.size()) {}
    frozen_key(const std::vector<std::byte>& b) noexcept : frozen_key(std::span<const std::byte>(b)) {}
    template <frozen_integer_key I>
    frozen_key(I v) noexcept {
        if constexpr (std::is_signed_v<I>) set_integer(static_cast<std::int64_t>(v));
        else if (static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(INT64_MAX)) set_integer(static_cast<std::int64_t>(v));
        else {
            kind_ = kind::uint64;
            integer_ = static_cast<std::uint64_t>(v);
        }
    }
    frozen_key(const frozen_map_key& k) noexcept : frozen_key(from_variant(k)) {}

    kind type() const noexcept { return kind_; }
    // Text or bytes; empty for integers.
    std::string_view data() const noexcept { return data_; }
    std::uint64_t integer_bits() const noexcept { return integer_; }  // two's complement for int64
    // The key as it appears in messages: "some key", b"\x00\x01", 42.
    std::string describe() const;
    frozen_map_key to_owned() const;

private:
    frozen_key() = default;
    void set_integer(std::int64_t v) noexcept {
        kind_ = kind::int64;
        integer_ = static_cast<std::uint64_t>(v);
    }
    static frozen_key from_variant(const frozen_map_key& k) noexcept;

    kind kind_ = kind::string;
    std::string_view data_;
    std::uint64_t integer_ = 0;
};

}  // namespace brine
