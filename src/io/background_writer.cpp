#include "io/background_writer.hpp"

namespace brine::io {

background_writer::background_writer(consumer consume, std::size_t block_size, std::size_t depth)
    : consume_(std::move(consume)), block_size_(block_size), depth_(depth == 0 ? 1 : depth), current_(block_size),
      thread_([this](std::stop_token stop) { run(stop); }) {}

background_writer::~background_writer() {
    thread_.request_stop();
    changed_.notify_all();
}

void background_writer::write_slow(std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        const auto n = std::min(bytes.size(), block_size_ - used_);
        std::memcpy(current_.data() + used_, bytes.data(), n);
        used_ += n;
        bytes = bytes.subspan(n);
        if (used_ == block_size_) hand_over();
    }
}

void background_writer::hand_over() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.size() < depth_ || failure_; });
    rethrow_failure();
    current_.resize(used_);
    queue_.push_back(std::move(current_));
    if (spare_.empty()) current_.assign(block_size_, std::byte{});
    else {
        current_ = std::move(spare_.back());
        spare_.pop_back();
        current_.resize(block_size_);
    }
    used_ = 0;
    lock.unlock();
    changed_.notify_all();
}

void background_writer::drain() {
    if (used_) hand_over();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (queue_.empty() && !busy_) || failure_; });
    rethrow_failure();
}

void background_writer::rethrow_failure() {
    if (failure_) std::rethrow_exception(failure_);
}

void background_writer::run(std::stop_token stop) {
    for (;;) {
        std::vector<std::byte> block;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, stop, [&] { return !queue_.empty(); });
            if (stop.stop_requested()) return;
            block = std::move(queue_.front());
            queue_.pop_front();
            busy_ = true;
        }
        std::exception_ptr failed;
        try {
            consume_(block);
        } catch (...) {
            failed = std::current_exception();
        }
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
            if (failed) {
                failure_ = failed;
                queue_.clear();
            } else {
                spare_.push_back(std::move(block));
            }
        }
        changed_.notify_all();
        if (failed) return;
    }
}

}  // namespace brine::io
