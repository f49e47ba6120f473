// Hints to the kernel about memory brine is about to fill or has finished
// with. Both act on the whole pages inside a range only: the pages around it
// may belong to other objects.
#pragma once

#include <cstddef>
#include <span>

namespace brine::io {

// Ranges below this are not worth a system call (numpy's threshold too).
inline constexpr std::size_t huge_page_hint_threshold = std::size_t{4} << 20;

// Asks for transparent huge pages on a large range about to be filled.
// Filling 400 MB of fresh 4 KiB pages costs ~100 k page faults, about a
// third of a raw load; with 2 MiB pages it costs ~200. numpy does the same
// for its arrays. A hint only: nothing happens where THP is off, on small
// ranges, and on memory that is not anonymous.
void advise_huge_pages(std::span<std::byte> range) noexcept;

// Gives a range that nobody will read again back to the OS, keeping its
// addresses (MADV_DONTNEED: reading it afterwards gives zeros).
void release_pages(std::span<std::byte> range) noexcept;

}  // namespace brine::io
