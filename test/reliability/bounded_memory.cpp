// Bounded memory on hostile input (issue 5, section 3): ~100-byte files that
// declare huge sizes, counts or depths, raw and through every codec, must be
// rejected with brine::error without the loader allocating more than a few
// MiB. Two meters: every C++ allocation (this file replaces operator new,
// which libbrine's allocations go through too), and the resident-set high
// water mark, which also sees the codec libraries' malloc and anonymous
// mappings (skipped under ASan, whose shadow memory and quarantine blur it).
#include "reliability.hpp"
#include "samples.hpp"
#include "../sanitizers.hpp"

#include "format/varint.hpp"

#include <brine/codec/codec.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <new>
#include <sstream>

// --- counting operator new --------------------------------------------------

namespace {

std::atomic<std::size_t> live_bytes{0}, peak_bytes{0};

// Every block carries its size in front (header rounded up to the alignment).
void* counted_alloc(std::size_t size, std::size_t align) {
    const std::size_t header = std::max<std::size_t>(align, 2 * sizeof(std::size_t));
    void* raw = nullptr;
    if (align <= alignof(std::max_align_t)) raw = std::malloc(header + size);
    else if (::posix_memalign(&raw, align, header + size) != 0) raw = nullptr;
    if (!raw) throw std::bad_alloc();
    auto* p = static_cast<std::byte*>(raw) + header;
    reinterpret_cast<std::size_t*>(p)[-1] = size;
    const auto now = live_bytes.fetch_add(size) + size;
    for (auto peak = peak_bytes.load(); now > peak && !peak_bytes.compare_exchange_weak(peak, now);) {
    }
    return p;
}

void counted_free(void* p, std::size_t align) noexcept {
    if (!p) return;
    const std::size_t header = std::max<std::size_t>(align, 2 * sizeof(std::size_t));
    live_bytes.fetch_sub(static_cast<std::size_t*>(p)[-1]);
    std::free(static_cast<std::byte*>(p) - header);
}

}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n, alignof(std::max_align_t)); }
void* operator new[](std::size_t n) { return counted_alloc(n, alignof(std::max_align_t)); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void operator delete(void* p) noexcept { counted_free(p, alignof(std::max_align_t)); }
void operator delete[](void* p) noexcept { counted_free(p, alignof(std::max_align_t)); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p, alignof(std::max_align_t)); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p, alignof(std::max_align_t)); }
void operator delete(void* p, std::align_val_t a) noexcept { counted_free(p, static_cast<std::size_t>(a)); }
void operator delete[](void* p, std::align_val_t a) noexcept { counted_free(p, static_cast<std::size_t>(a)); }
void operator delete(void* p, std::size_t, std::align_val_t a) noexcept { counted_free(p, static_cast<std::size_t>(a)); }
void operator delete[](void* p, std::size_t, std::align_val_t a) noexcept { counted_free(p, static_cast<std::size_t>(a)); }

namespace {

constexpr bool rss_meaningful = !test_support::under_address_sanitizer;

std::size_t rss_high_water_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
    return 0;
}
std::size_t rss_now_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
    return 0;
}

struct usage {
    std::size_t heap_peak = 0;  // bytes above the level before the call
    std::size_t rss_growth = 0; // bytes of resident-set growth (0 when not measured)
};

usage measure(const std::function<void()>& run) {
    std::ofstream("/proc/self/clear_refs") << "5";  // reset VmHWM to the current RSS
    const auto rss_before = rss_now_kib();
    const auto base = live_bytes.load();
    peak_bytes = base;
    run();
    usage u;
    u.heap_peak = peak_bytes.load() - base;
    const auto hwm = rss_high_water_kib();
    if (rss_meaningful && hwm > rss_before) u.rss_growth = (hwm - rss_before) * 1024;
    return u;
}

// --- hostile inputs ---------------------------------------------------------

class hostile_file {
public:
    hostile_file() {
        // A valid 64-byte header, taken from a real file.
        const auto valid = brine::fuzz::brine_file(brine::value(brine::none), brine::codec_id::none);
        bytes_.assign(valid.begin(), valid.begin() + 64);
    }
    hostile_file& u8(std::uint8_t b) {
        bytes_.push_back(std::byte{b});
        return *this;
    }
    hostile_file& varint(std::uint64_t v) {
        std::byte buf[10];
        bytes_.insert(bytes_.end(), buf, buf + brine::format::put_varint(buf, v));
        return *this;
    }
    hostile_file& text(std::string_view s) {
        for (char c : s) u8(static_cast<std::uint8_t>(c));
        return *this;
    }
    std::vector<std::byte> done() const { return bytes_; }

private:
    std::vector<std::byte> bytes_;
};

constexpr std::uint8_t tag_none = 1, tag_string = 3, tag_bytes = 4, tag_list = 5, tag_dict = 6, tag_map = 7, tag_array = 8;
constexpr std::uint8_t float64 = 11;

struct hostile_case {
    const char* name;
    std::vector<std::byte> bytes;
    std::function<void(std::istream&)> load_typed;  // the natural typed target
};

template <class T>
std::function<void(std::istream&)> typed() {
    return [](std::istream& in) { (void)brine::load<T>(in, {.threads = 1}); };
}

std::vector<hostile_case> hostile_cases() {
    std::vector<hostile_case> cases;
    cases.push_back({"array declaring 2^40 bytes",
                     hostile_file().u8(tag_array).u8(float64).u8('<').varint(1).varint(1ull << 37).varint(16).varint(1ull << 40).text("0123456789abcdef").done(),
                     typed<std::vector<double>>()});
    cases.push_back({"4-d array declaring 2^62 bytes",
                     hostile_file().u8(tag_array).u8(1).u8('|').varint(4).varint(1ull << 16).varint(1ull << 16).varint(1ull << 15).varint(1ull << 15)
                         .varint(brine::format::zigzag(1ll << 46)).varint(brine::format::zigzag(1ll << 30)).varint(brine::format::zigzag(1ll << 15)).varint(2)
                         .varint(1ull << 62).text("x").done(),
                     typed<xt::xarray<std::int8_t>>()});
    cases.push_back({"list declaring 2^60 children", hostile_file().u8(tag_list).varint(1ull << 60).u8(tag_none).u8(tag_none).done(),
                     typed<std::vector<std::optional<int>>>()});
    cases.push_back({"string declaring 1 TiB", hostile_file().u8(tag_string).varint(1ull << 40).text("the rest is missing").done(),
                     typed<std::string>()});
    cases.push_back({"bytes declaring 2^62", hostile_file().u8(tag_bytes).varint(1ull << 62).text("abc").done(), typed<std::vector<std::byte>>()});
    cases.push_back({"dict declaring 2^60 entries and a 2^50-byte key",
                     hostile_file().u8(tag_dict).varint(1ull << 60).varint(1ull << 50).text("key").done(),
                     typed<std::map<std::string, int>>()});
    cases.push_back({"map declaring 2^61 pairs", hostile_file().u8(tag_map).varint(1ull << 61).u8(tag_none).done(),
                     typed<std::map<int, int>>()});
    cases.push_back({"string just below the always-trusted 4 MiB", hostile_file().u8(tag_string).varint((4u << 20) - 1).text("short").done(),
                     typed<std::string>()});
    {
        hostile_file deep;
        for (int i = 0; i < 100000; ++i) deep.u8(tag_list).varint(1);
        cases.push_back({"100000 nested lists", deep.u8(tag_none).done(), typed<std::vector<std::vector<std::vector<int>>>>()});
    }
    return cases;
}

std::vector<std::byte> compressed(std::span<const std::byte> plain, brine::codec_id codec) {
    std::ostringstream out(std::ios::binary);
    {
        brine::codec_ostream enc(out, codec, std::nullopt, 1);
        enc.write(reinterpret_cast<const char*>(plain.data()), static_cast<std::streamsize>(plain.size()));
        enc.finish();
    }
    const auto s = std::move(out).str();
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

// "A few MiB": the reader allocates strings and arrays of up to 4 MiB on the
// file's word when the input cannot tell its size, plus its 256 KiB window
// and the decoder's buffers.
constexpr std::size_t heap_bound = 8u << 20;
constexpr std::size_t rss_bound = 24u << 20;

usage worst;  // over all cases, for the summary

void check_bounded(const std::string& how, const std::function<void()>& load) {
    CAPTURE(how);
    const auto u = measure([&] { CHECK_THROWS_AS(load(), brine::error); });
    worst.heap_peak = std::max(worst.heap_peak, u.heap_peak);
    worst.rss_growth = std::max(worst.rss_growth, u.rss_growth);
    CHECK_MESSAGE(u.heap_peak <= heap_bound, how << ": C++ heap peak " << u.heap_peak << " bytes");
    CHECK_MESSAGE(u.rss_growth <= rss_bound, how << ": resident set grew by " << u.rss_growth << " bytes");
}

std::istringstream stream_of(std::span<const std::byte> bytes) {
    return std::istringstream(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), std::ios::binary);
}

}  // namespace

TEST_CASE("hostile sizes, counts and depths are rejected within a few MiB") {
    for (const auto& c : hostile_cases()) {
        const std::string name = c.name;
        CAPTURE(name);
        check_bounded("mapped", [&] { brine::test::load_mapped(c.bytes); });
        for (const auto& codec : brine::codecs()) {
            const auto input = codec.id == brine::codec_id::none ? c.bytes : compressed(c.bytes, codec.id);
            if (codec.id != brine::codec_id::none && c.bytes.size() < 1000) CHECK(input.size() < 200);
            const std::string how = std::string("streamed, ") + std::string(codec.name);
            check_bounded(how, [&] { brine::test::load_streamed(input, {.threads = 2}); });
            const std::string typed_how = how + ", typed";
            check_bounded(typed_how, [&] {
                auto in = stream_of(input);
                c.load_typed(in);
            });
        }
    }
    MESSAGE("worst case: C++ heap peak " << worst.heap_peak << " bytes, resident set growth " << worst.rss_growth
                                         << " bytes" << std::string(rss_meaningful ? "" : " (not measured under ASan)"));
}

TEST_CASE("load_options::max_bytes caps what a compressed input can make the loader allocate") {
    // A real 64 MiB string, compressed to a few KiB: legitimate data, but a
    // caller that cannot afford it sets max_bytes and gets a limit_error early.
    const auto bomb = brine::fuzz::brine_file(std::string(64u << 20, 'a'), brine::codec_id::zstd);
    CHECK(bomb.size() < (64u << 10));
    const auto u = measure([&] {
        CHECK_THROWS_AS(brine::test::load_streamed(bomb, {.threads = 1, .max_bytes = 1u << 20}), brine::limit_error);
    });
    CHECK(u.heap_peak <= heap_bound);
}
