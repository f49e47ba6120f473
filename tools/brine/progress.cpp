#include "progress.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace brine::cli {

namespace {
// Below this a bar would only flicker.
constexpr auto quiet_period = std::chrono::milliseconds(500);
constexpr auto redraw_every = std::chrono::milliseconds(100);
constexpr int bar_width = 30;
}  // namespace

bool stderr_is_terminal() noexcept { return ::isatty(STDERR_FILENO) == 1; }

std::string human_bytes(std::uint64_t n) {
    if (n < 1024) return std::to_string(n) + " B";
    static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(n) / 1024;
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    char text[32];
    std::snprintf(text, sizeof text, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return text;
}

progress::progress(bool enabled) {
    if (!enabled) return;
    painter_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stop_) {
            wake_.wait_for(lock, redraw_every);
            if (stop_ || std::chrono::steady_clock::now() - started_ < quiet_period || label_.empty()) continue;
            draw();
        }
    });
}

void progress::finish() {
    if (!painter_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        erase();
    }
    wake_.notify_all();
    painter_.join();
}

void progress::phase(std::string label, std::optional<std::uint64_t> total) {
    std::lock_guard lock(mutex_);
    label_ = std::move(label);
    total_ = total;
    phase_started_ = std::chrono::steady_clock::now();
    done_.store(0, std::memory_order_relaxed);
}

void progress::draw() {
    const auto done = done_.load(std::memory_order_relaxed);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - phase_started_).count();
    const auto rate = seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(done) / seconds) : 0;
    std::string line = "\r" + label_ + " ";
    if (total_ && *total_ > 0) {
        // Totals are estimates for some phases: never claim more than 99% before the end.
        const double fraction = std::min(0.99, static_cast<double>(done) / static_cast<double>(*total_));
        const int filled = static_cast<int>(fraction * bar_width);
        line += "[" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] ";
        line += std::to_string(static_cast<int>(fraction * 100)) + "% ";
        line += human_bytes(done) + " / " + human_bytes(*total_);
    } else {
        line += human_bytes(done);
    }
    line += ", " + human_bytes(rate) + "/s\033[K";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    drawn_ = true;
}

void progress::erase() {
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace brine::cli
