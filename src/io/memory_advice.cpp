#include "io/memory_advice.hpp"

#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace brine::io {
namespace {

void advise_whole_pages(std::span<std::byte> range, std::uintptr_t page, int advice) noexcept {
    const auto begin = reinterpret_cast<std::uintptr_t>(range.data());
    const auto first = (begin + page - 1) & ~(page - 1);
    const auto last = (begin + range.size()) & ~(page - 1);
    if (first < last) ::madvise(reinterpret_cast<void*>(first), last - first, advice);
}

}  // namespace

void advise_huge_pages(std::span<std::byte> range) noexcept {
#ifdef MADV_HUGEPAGE
    if (range.size() >= huge_page_hint_threshold) advise_whole_pages(range, std::uintptr_t{2} << 20, MADV_HUGEPAGE);
#else
    (void)range;
#endif
}

void release_pages(std::span<std::byte> range) noexcept {
    advise_whole_pages(range, static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE)), MADV_DONTNEED);
}

}  // namespace brine::io
