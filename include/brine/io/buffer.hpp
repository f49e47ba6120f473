// Shared bytes that an array can own or borrow: heap memory brine allocated,
// or a window of a file mapping. Copies share; the memory lives as long as
// any copy (so a mapped array outlives the archive that made it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace brine::io {

inline constexpr std::size_t array_alignment = 64;

class buffer {
public:
    buffer() = default;
    // Borrow `bytes` inside memory kept alive by `owner` (a mapping).
    buffer(std::shared_ptr<const void> owner, std::byte* data, std::size_t size, bool writable, bool mapped)
        : owner_(std::move(owner)), data_(data), size_(size), writable_(writable), mapped_(mapped) {}

    // Fresh memory aligned to array_alignment, contents unspecified.
    static buffer allocate(std::size_t size);

    std::byte* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    std::span<std::byte> bytes() const noexcept { return {data_, size_}; }
    bool writable() const noexcept { return writable_; }
    bool mapped() const noexcept { return mapped_; }
    const std::shared_ptr<const void>& owner() const noexcept { return owner_; }
    explicit operator bool() const noexcept { return data_ != nullptr || (size_ == 0 && owner_); }

    // Gives the whole pages inside `part` (a piece of this buffer that nobody
    // will read again) back to the OS, keeping the addresses: a payload copied
    // into its container piece by piece is freed as it goes, so the copy
    // never holds the array twice. Reading `part` afterwards gives zeros.
    // Does nothing on mappings of files and on buffers shared with others.
    void discard(std::span<std::byte> part) const noexcept;

private:
    std::shared_ptr<const void> owner_;
    std::byte* data_ = nullptr;
    std::size_t size_ = 0;
    bool writable_ = true;
    bool mapped_ = false;
};

}  // namespace brine::io
