#include "format/constants.hpp"
#include "format/hasher.hpp"
#include "model/byte_order.hpp"

#include <brine/error.hpp>
#include <brine/store/argument_hash.hpp>

#include <algorithm>
#include <vector>

namespace brine {

namespace {

// Sums modulo 2^128: the order-free combination of an unordered container's
// children (argument_hash.hpp).
void add_to(format::hasher128::digest_type& sum, const format::hasher128::digest_type& d) {
    const auto low = sum.low + d.low;
    sum.high += d.high + (low < sum.low ? 1 : 0);
    sum.low = low;
}

}  // namespace

// The hashing sink under the canonical writer. states[d] hashes the bytes at
// unordered depth d: the root's bytes at 0, the current child of the
// innermost open dict/map/set at the deepest level.
struct argument_hasher::impl final : io::sink, format::canonical_listener {
    struct open_container {
        format::hasher128::digest_type sum;
        bool child_open = false;
    };
    std::vector<std::unique_ptr<format::hasher128>> states;
    std::vector<open_container> open;
    format::writer w;

    impl() : w(*this, *this) { states.push_back(std::make_unique<format::hasher128>()); }

    format::hasher128& current() { return *states[open.size()]; }

    // The file header is left out: it names the format version, which may
    // change without changing how values are written.
    std::size_t header_left = format::v1::header_size;

    void write(std::span<const std::byte> bytes) override {
        const auto skip = std::min(header_left, bytes.size());
        header_left -= skip;
        bytes = bytes.subspan(skip);
        current().update(bytes.data(), bytes.size());
    }
    void finish() override {}
    std::string name() const override { return "<argument hash>"; }

    void unordered_begin() override {
        open.push_back({});
        if (states.size() <= open.size()) states.push_back(std::make_unique<format::hasher128>());
        current().reset();
    }
    void close_child() {
        auto& c = open.back();
        if (c.child_open) add_to(c.sum, current().digest());
        c.child_open = false;
    }
    void child_begin() override {
        close_child();
        current().reset();
        open.back().child_open = true;
    }
    void unordered_end() override {
        close_child();
        const auto sum = open.back().sum;
        open.pop_back();
        std::byte le[16];
        detail::store_le<std::uint64_t>(le, sum.low);
        detail::store_le<std::uint64_t>(le + 8, sum.high);
        current().update(le, sizeof le);
    }
};

argument_hasher::argument_hasher() : impl_(std::make_unique<impl>()) {}
argument_hasher::~argument_hasher() = default;

format::writer& argument_hasher::writer() noexcept { return impl_->w; }

std::string argument_hasher::key() const {
    if (!impl_->open.empty() || impl_->w.offset() <= format::v1::header_size)
        throw error({"<argument hash>", impl_->w.offset()}, "argument key requested before the arguments were written");
    const auto d = impl_->states[0]->digest();
    // High 64 bits first, lowercase hex (no printf: keys are made on every call).
    std::string key(algorithm);
    key += '-';
    for (const auto half : {d.high, d.low})
        for (int shift = 60; shift >= 0; shift -= 4) key += "0123456789abcdef"[(half >> shift) & 0xf];
    return key;
}

}  // namespace brine
