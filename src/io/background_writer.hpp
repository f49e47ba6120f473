// Gathers small writes into blocks and hands each full block to one
// background thread, which passes it to `consume` (a file write, a hash):
// the caller fills the next block while the last one is written. At most
// `depth` full blocks wait, so memory stays at (depth + 2) blocks; write()
// blocks while they wait. Blocks are consumed in order. What `consume`
// throws is rethrown by the next write() or drain(), and nothing after it is
// consumed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace brine::io {

class background_writer {
public:
    using consumer = std::function<void(std::span<const std::byte>)>;
    explicit background_writer(consumer consume, std::size_t block_size = std::size_t{1} << 20, std::size_t depth = 2);
    // Stops the thread; blocks not yet consumed are dropped (call drain() first).
    ~background_writer();
    background_writer(const background_writer&) = delete;
    background_writer& operator=(const background_writer&) = delete;

    void write(std::span<const std::byte> bytes) {
        if (bytes.empty()) return;  // its data() may be null, which memcpy may not take
        if (bytes.size() <= block_size_ - used_) {  // the common case: a copy
            std::memcpy(current_.data() + used_, bytes.data(), bytes.size());
            used_ += bytes.size();
            return;
        }
        write_slow(bytes);
    }
    // Returns once everything written so far has been consumed.
    void drain();

private:
    void write_slow(std::span<const std::byte> bytes);
    void hand_over();  // the current block, full or not, to the thread
    void run(std::stop_token stop);
    void rethrow_failure();

    consumer consume_;
    std::size_t block_size_, depth_;
    std::vector<std::byte> current_;
    std::size_t used_ = 0;

    std::mutex mutex_;
    std::condition_variable_any changed_;
    std::deque<std::vector<std::byte>> queue_;  // full blocks, oldest first
    std::vector<std::vector<std::byte>> spare_;  // consumed blocks, for reuse
    bool busy_ = false;                          // the thread holds a block
    std::exception_ptr failure_;
    std::jthread thread_;  // last: stopped and joined before the rest goes
};

}  // namespace brine::io
