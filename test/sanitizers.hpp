// Whether the test runs under AddressSanitizer: its shadow memory and
// quarantine are private memory of its own, so memory bounds measured from
// the outside (RSS, smaps) do not apply. gcc says so with
// __SANITIZE_ADDRESS__, clang with __has_feature.
#pragma once

namespace test_support {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool under_address_sanitizer = true;
#else
inline constexpr bool under_address_sanitizer = false;
#endif
#else
inline constexpr bool under_address_sanitizer = false;
#endif

}  // namespace test_support
