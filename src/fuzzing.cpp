#include "fuzzing.hpp"

#ifdef BRINE_FUZZING
#include <atomic>

namespace brine {

namespace {
std::atomic<bool> enforced{true};
}  // namespace

bool checksums_enforced() noexcept { return enforced.load(std::memory_order_relaxed); }
void enforce_checksums(bool on) noexcept { enforced.store(on, std::memory_order_relaxed); }

}  // namespace brine
#endif
