#include <brine/error.hpp>
#include <brine/io/buffer.hpp>

#include "io/growing_buffer.hpp"
#include "io/memory_advice.hpp"

#include <cstring>
#include <new>
#include <sys/mman.h>

namespace brine::io {

namespace {

// Large buffers come straight from mmap: page-aligned (so 64-aligned), given
// back to the OS on release, and growable without copying through mremap.
constexpr std::size_t mmap_threshold = std::size_t{1} << 20;

std::byte* map_anonymous(std::size_t size) {
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    advise_huge_pages({static_cast<std::byte*>(p), size});
    return static_cast<std::byte*>(p);
}

std::byte* new_aligned(std::size_t size) {
    return static_cast<std::byte*>(::operator new(size ? size : 1, std::align_val_t{array_alignment}));
}

void delete_aligned(std::byte* p) { ::operator delete(p, std::align_val_t{array_alignment}); }

std::shared_ptr<const void> owner_of(std::byte* p, std::size_t capacity, bool mapped) {
    if (mapped) return std::shared_ptr<const void>(p, [capacity](const void* q) { ::munmap(const_cast<void*>(q), capacity); });
    return std::shared_ptr<const void>(p, [](const void* q) { delete_aligned(static_cast<std::byte*>(const_cast<void*>(q))); });
}

}  // namespace

buffer buffer::allocate(std::size_t size) {
    const bool mapped = size >= mmap_threshold;
    std::byte* p = mapped ? map_anonymous(size) : new_aligned(size);
    return buffer(owner_of(p, size, mapped), p, size, true, false);
}

void buffer::discard(std::span<std::byte> part) const noexcept {
    if (!mapped_ && owner_.use_count() == 1) release_pages(part);
}

growing_buffer::~growing_buffer() {
    if (!data_) return;
    if (mapped_) ::munmap(data_, capacity_);
    else delete_aligned(data_);
}

void growing_buffer::reserve(std::size_t capacity) {
    if (capacity <= capacity_) return;
    if (capacity >= mmap_threshold) {
#ifdef MREMAP_MAYMOVE
        if (mapped_) {
            void* p = ::mremap(data_, capacity_, capacity, MREMAP_MAYMOVE);
            if (p == MAP_FAILED) throw std::bad_alloc();
            data_ = static_cast<std::byte*>(p);
            capacity_ = capacity;
            return;
        }
#endif
        std::byte* p = map_anonymous(capacity);
        if (size_) std::memcpy(p, data_, size_);
        this->~growing_buffer();
        data_ = p;
        mapped_ = true;
    } else {
        std::byte* p = new_aligned(capacity);
        if (size_) std::memcpy(p, data_, size_);
        if (data_) delete_aligned(data_);
        data_ = p;
        mapped_ = false;
    }
    capacity_ = capacity;
}

buffer growing_buffer::release() && {
    if (!data_) reserve(1);
    buffer b(owner_of(data_, capacity_, mapped_), data_, size_, true, false);
    data_ = nullptr;
    size_ = capacity_ = 0;
    return b;
}

}  // namespace brine::io
