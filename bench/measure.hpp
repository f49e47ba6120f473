// What every benchmark process measures around its one operation, printed
// as one line that bench/run.py parses:
//   RESULT key=value key=value ...
// - seconds: wall time of the operation (steady_clock);
// - cpu: user + system CPU seconds of all threads during it;
// - peak_kib: the process's peak resident set (VmHWM) during the operation.
//   The high-water mark is reset just before it (/proc/self/clear_refs, "5"),
//   so preparing the input (generating a workload) does not count, but the
//   input held in memory does;
// - base_kib: resident set just before the operation;
// - rchar: bytes the process read through read()/pread() during it
//   (/proc/self/io; page-cache hits count, mapped pages do not).
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

namespace bench {

inline long status_kib(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(field);
    while (std::getline(in, line))
        if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') return std::stol(line.substr(n + 1));
    return -1;
}

inline long long io_counter(const char* field) {
    std::ifstream in("/proc/self/io");
    std::string key;
    long long v = 0;
    while (in >> key >> v)
        if (key.size() && key.substr(0, key.size() - 1) == field) return v;
    return -1;
}

inline void reset_peak() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

inline double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

class measurement {
public:
    measurement() {
        reset_peak();
        base_kib_ = status_kib("VmRSS");
        rchar0_ = io_counter("rchar");
        cpu0_ = cpu_seconds();
        t0_ = std::chrono::steady_clock::now();
    }
    // Ends the measurement; call once, right after the operation.
    void stop() {
        seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
        cpu_ = cpu_seconds() - cpu0_;
        peak_kib_ = status_kib("VmHWM");
        rss_kib_ = status_kib("VmRSS");
        rchar_ = io_counter("rchar") - rchar0_;
    }
    double seconds() const { return seconds_; }
    std::string fields() const {
        char buf[256];
        std::snprintf(buf, sizeof buf, "seconds=%.6f cpu=%.4f peak_kib=%ld base_kib=%ld rss_kib=%ld rchar=%lld",
                      seconds_, cpu_, peak_kib_, base_kib_, rss_kib_, rchar_);
        return buf;
    }

private:
    std::chrono::steady_clock::time_point t0_;
    double cpu0_ = 0, seconds_ = 0, cpu_ = 0;
    long base_kib_ = 0, peak_kib_ = 0, rss_kib_ = 0;
    long long rchar0_ = 0, rchar_ = 0;
};

inline void report(const measurement& m, const std::string& extra) {
    std::printf("RESULT %s %s\n", m.fields().c_str(), extra.c_str());
    std::fflush(stdout);
}

}  // namespace bench
