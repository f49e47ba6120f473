// A progress line on stderr for long conversions. It appears only when
// stderr is a terminal (or --progress forces it) and only once the command
// has run for half a second, so quick runs, pipes and logs stay clean.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace brine::cli {

bool stderr_is_terminal() noexcept;

class progress {
public:
    explicit progress(bool enabled);
    ~progress() { finish(); }
    // Stops drawing and erases the line (before printing anything else).
    void finish();
    progress(const progress&) = delete;
    progress& operator=(const progress&) = delete;

    // Starts a phase ("reading", "writing") counting from 0 towards `total`
    // bytes; without a total the line shows bytes and rate only.
    void phase(std::string label, std::optional<std::uint64_t> total);
    // Called by the counting streams from any thread.
    void advance(std::uint64_t bytes) noexcept { done_.fetch_add(bytes, std::memory_order_relaxed); }

private:
    void draw();
    void erase();

    const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::atomic<std::uint64_t> done_{0};
    std::mutex mutex_;  // guards label_, total_, phase_started_, stop_
    std::condition_variable wake_;
    std::string label_;
    std::optional<std::uint64_t> total_;
    std::chrono::steady_clock::time_point phase_started_ = started_;
    bool stop_ = false;
    bool drawn_ = false;
    std::thread painter_;
};

// "1.5 MiB", "312 B": sizes as people read them.
std::string human_bytes(std::uint64_t n);

}  // namespace brine::cli
