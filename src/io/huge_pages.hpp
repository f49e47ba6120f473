// Asks the kernel to back a large, about-to-be-filled memory range with
// transparent huge pages. Filling 400 MB of fresh 4 KiB pages costs ~100 k
// page faults, about a third of a raw load; with 2 MiB pages it costs ~200.
// numpy does the same for its arrays. A hint only: it does nothing where THP
// is off, on small ranges, and on memory that is not anonymous.
#pragma once

#include <cstddef>
#include <span>

namespace brine::io {

// Ranges below this are not worth a system call (numpy's threshold too).
inline constexpr std::size_t huge_page_hint_threshold = std::size_t{4} << 20;

void advise_huge_pages(std::span<std::byte> range) noexcept;

}  // namespace brine::io
