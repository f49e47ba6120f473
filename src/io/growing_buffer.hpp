// Memory that grows as data arrives, for the readers of inputs that cannot
// tell how large they really are (internal: users get io::buffer). Its
// allocation shares io::buffer's (src/io/buffer.cpp).
#pragma once

#include <brine/io/buffer.hpp>

#include <cstddef>

namespace brine::io {

// Grows without copying on Linux (mremap). Aligned to array_alignment.
class growing_buffer {
public:
    growing_buffer() = default;
    growing_buffer(const growing_buffer&) = delete;
    growing_buffer& operator=(const growing_buffer&) = delete;
    ~growing_buffer();
    // Make room for at least `capacity` bytes, keeping the first size() bytes.
    void reserve(std::size_t capacity);
    std::byte* data() noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    std::size_t capacity() const noexcept { return capacity_; }
    void set_size(std::size_t n) noexcept { size_ = n; }
    // Hand the memory over to a shared buffer of size() bytes.
    buffer release() &&;

private:
    std::byte* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
    bool mapped_ = false;  // from mmap (large) rather than operator new
};

}  // namespace brine::io
