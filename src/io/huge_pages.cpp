#include "io/huge_pages.hpp"

#include <cstdint>
#include <sys/mman.h>

namespace brine::io {

void advise_huge_pages(std::span<std::byte> range) noexcept {
#ifdef MADV_HUGEPAGE
    if (range.size() < huge_page_hint_threshold) return;
    constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
    // Only whole huge pages inside the range: madvise wants page-aligned
    // starts, and the pages around the range may belong to other objects.
    const auto begin = reinterpret_cast<std::uintptr_t>(range.data());
    const auto first = (begin + huge_page - 1) & ~(huge_page - 1);
    const auto last = (begin + range.size()) & ~(huge_page - 1);
    if (first < last) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
    (void)range;
#endif
}

}  // namespace brine::io
