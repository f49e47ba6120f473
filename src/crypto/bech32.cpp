#include "crypto/bech32.hpp"

#include <array>
#include <cstdint>

namespace brine::crypto {
namespace {

constexpr std::string_view charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t polymod(std::span<const unsigned char> values) {
    constexpr std::array<std::uint32_t, 5> generator{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    std::uint32_t chk = 1;
    for (unsigned char v : values) {
        const std::uint32_t top = chk >> 25;
        chk = (chk & 0x1ffffff) << 5 ^ v;
        for (int i = 0; i < 5; ++i)
            if ((top >> i) & 1) chk ^= generator[static_cast<std::size_t>(i)];
    }
    return chk;
}

// The hrp's high bits, a zero, its low bits: what the checksum covers before the data.
std::vector<unsigned char> hrp_expand(std::string_view hrp) {
    std::vector<unsigned char> out;
    out.reserve(hrp.size() * 2 + 1);
    for (char c : hrp) out.push_back(static_cast<unsigned char>(static_cast<unsigned char>(c) >> 5));
    out.push_back(0);
    for (char c : hrp) out.push_back(static_cast<unsigned char>(static_cast<unsigned char>(c) & 31));
    return out;
}

// Regroups bits; `pad` on encoding, and on decoding the leftover bits must
// be fewer than `from` and zero.
std::optional<std::vector<unsigned char>> convert_bits(std::span<const unsigned char> in, int from, int to, bool pad) {
    std::uint32_t acc = 0;
    int bits = 0;
    const std::uint32_t max = (1u << to) - 1;
    std::vector<unsigned char> out;
    for (unsigned char v : in) {
        if (v >> from) return std::nullopt;
        acc = acc << from | v;
        bits += from;
        while (bits >= to) {
            bits -= to;
            out.push_back(static_cast<unsigned char>((acc >> bits) & max));
        }
    }
    if (pad) {
        if (bits) out.push_back(static_cast<unsigned char>((acc << (to - bits)) & max));
    } else if (bits >= from || ((acc << (to - bits)) & max)) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

std::string bech32_encode(std::string_view hrp, std::span<const unsigned char> data) {
    auto values = *convert_bits(data, 8, 5, true);
    auto check_input = hrp_expand(hrp);
    check_input.insert(check_input.end(), values.begin(), values.end());
    check_input.insert(check_input.end(), 6, 0);
    const std::uint32_t mod = polymod(check_input) ^ 1;
    std::string out(hrp);
    out += '1';
    for (unsigned char v : values) out += charset[v];
    for (int i = 0; i < 6; ++i) out += charset[(mod >> (5 * (5 - i))) & 31];
    return out;
}

std::optional<bech32_data> bech32_decode(std::string_view text) {
    bool lower = false, upper = false;
    for (char c : text) {
        if (c < 33 || c > 126) return std::nullopt;
        lower |= c >= 'a' && c <= 'z';
        upper |= c >= 'A' && c <= 'Z';
    }
    if (lower && upper) return std::nullopt;
    const auto sep = text.rfind('1');
    if (sep == std::string_view::npos || sep == 0 || sep + 7 > text.size()) return std::nullopt;
    std::string hrp;
    for (char c : text.substr(0, sep)) hrp += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    std::vector<unsigned char> values;
    for (char c : text.substr(sep + 1)) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const auto at = charset.find(c);
        if (at == std::string_view::npos) return std::nullopt;
        values.push_back(static_cast<unsigned char>(at));
    }
    auto check_input = hrp_expand(hrp);
    check_input.insert(check_input.end(), values.begin(), values.end());
    if (polymod(check_input) != 1) return std::nullopt;
    values.resize(values.size() - 6);
    auto data = convert_bits(values, 5, 8, false);
    if (!data) return std::nullopt;
    return bech32_data{std::move(hrp), std::move(*data)};
}

}  // namespace brine::crypto
