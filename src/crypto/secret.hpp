// Key material that wipes itself: every file key, wrap key, payload key,
// shared secret and passphrase copy lives in one of these, so it is zeroed
// (sodium_memzero, which the compiler may not elide) when it goes away,
// including on the error paths.
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace brine::crypto {

// libsodium initialised once (thread-safe static); every entry point of the
// crypto layer calls it before its first primitive.
inline void require_sodium() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

template <std::size_t N>
class secret {
public:
    secret() = default;
    secret(const secret& other) : bytes_(other.bytes_) {}
    secret& operator=(const secret& other) {
        bytes_ = other.bytes_;
        return *this;
    }
    ~secret() { sodium_memzero(bytes_.data(), N); }

    unsigned char* data() noexcept { return bytes_.data(); }
    const unsigned char* data() const noexcept { return bytes_.data(); }
    static constexpr std::size_t size() noexcept { return N; }
    std::span<const unsigned char, N> view() const noexcept { return bytes_; }

private:
    std::array<unsigned char, N> bytes_{};
};

// A secret of run-time length (passphrases).
class secret_bytes {
public:
    secret_bytes() = default;
    explicit secret_bytes(std::string_view text) : bytes_(text.begin(), text.end()) {}
    secret_bytes(const secret_bytes&) = default;
    secret_bytes& operator=(const secret_bytes& other) {
        if (this != &other) {
            wipe();
            bytes_ = other.bytes_;
        }
        return *this;
    }
    ~secret_bytes() { wipe(); }

    const unsigned char* data() const noexcept { return bytes_.data(); }
    std::size_t size() const noexcept { return bytes_.size(); }
    bool empty() const noexcept { return bytes_.empty(); }

private:
    void wipe() noexcept {
        if (!bytes_.empty()) sodium_memzero(bytes_.data(), bytes_.size());
    }
    std::vector<unsigned char> bytes_;
};

// Wipes a std::string that held secret text (a key file's contents, a
// passphrase read from a file) before it is freed.
inline void wipe(std::string& text) noexcept {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
}

}  // namespace brine::crypto
