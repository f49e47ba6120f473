// Looking up a scalar or a short string allocates nothing, and an array is
// viewed in place with no more than its shape allocated: a counting operator
// new around the lookups.
#include "scratch.hpp"

#include <brine/brine.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
thread_local bool counting = false;
thread_local std::size_t allocations = 0;
}  // namespace

// The replaced operator new is malloc, so free is its match; gcc cannot see that.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

TEST_CASE("frozen_map: scalar and short-string lookups do not allocate") {
    const auto file = brine::test::scratch("alloc.brinemap");
    {
        brine::frozen_map_builder b(file);
        for (int i = 0; i < 1000; ++i) {
            std::string k = "k";
            k += std::to_string(i);
            b.add(k, i);
            b.add(i, "value " + std::to_string(i));
        }
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    const std::string key = "k500", missing = "k5000";
    std::int64_t sum = 0;
    std::size_t chars = 0;
    counting = true;
    allocations = 0;
    for (int round = 0; round < 10; ++round) {
        sum += *m.get<std::int64_t>(key);
        chars += m.get<std::string_view>(700)->size();
        sum += m.contains(missing) ? 1 : 0;
        sum += m.contains(999) ? 1 : 0;
        sum += m.find_record("k1")->as_scalar()->get<int>().value_or(0);
    }
    const auto seen = allocations;
    counting = false;
    CHECK(seen == 0);
    CHECK(sum == 10 * (500 + 1 + 1));
    CHECK(chars == 10 * std::string("value 700").size());
    // The counter works: find() builds an entry, which allocates.
    counting = true;
    (void)m.find(key);
    counting = false;
    CHECK(allocations > 0);
}

TEST_CASE("frozen_map: an array viewed in place allocates only its shape, not an entry and a reader") {
    const auto file = brine::test::scratch("alloc_array.brinemap");
    {
        brine::frozen_map_builder b(file);
        for (int i = 0; i < 100; ++i) b.add(i, std::vector<float>(64, static_cast<float>(i)));
        b.finish();
    }
    auto m = brine::frozen_map::open(file);
    auto count = [&](auto&& lookup) {
        counting = true;
        allocations = 0;
        lookup();
        counting = false;
        return allocations;
    };
    float seen = 0;
    const auto in_place = count([&] { seen = (*m.get<brine::array<const float>>(42))(3); });
    const auto through_entry = count([&] { seen += m.at(42).load<brine::array<const float>>()(3); });
    CHECK(seen == 84.0f);
    CHECK(in_place <= 2);  // the meta's shape and strides
    CHECK(through_entry > in_place + 5);
}
