// Looking up a scalar or a short string allocates nothing: a counting
// operator new around the lookups.
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

void* operator new(std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

TEST_CASE("frozen_map: scalar and short-string lookups do not allocate") {
    const auto file = store_test::scratch("alloc.brinemap");
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
