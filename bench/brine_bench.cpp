// One measurement per process, driven by bench/run.py:
//
//   brine_bench dump       W FILE CODEC THREADS [LEVEL]   generate W, time brine::dump
//   brine_bench load       W FILE THREADS                 time brine::load<typed W>
//   brine_bench load-value W FILE THREADS                 time brine::load (brine::value)
//   brine_bench gen        W -                            time generating W (building its containers)
//   brine_bench load-mmap  W1 FILE                        time load<vector<brine::array<const double>>> read-only mapped
//   brine_bench read-plain  FILE                          time reading FILE into fresh memory (read(2))
//   brine_bench write-plain SRC DST FSYNC                 time writing SRC's bytes (in memory) to DST [+ fsync]
//
// W is W1, W2 or W3 (bench/workloads.hpp). CODEC is a brine codec name
// ("none", "gzip", ...); LEVEL defaults to the codec's default. Prints one
// RESULT line (bench/measure.hpp), plus size= for dumps and ok= for loads
// (a spot check of the loaded values, outside the timed region).
#include "measure.hpp"
#include "workloads.hpp"

#include <brine/brine.hpp>
#include <brine/types/brine_array.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: brine_bench dump W FILE CODEC THREADS [LEVEL] | load W FILE THREADS | load-value W FILE "
                 "THREADS | load-mmap W1 FILE | read-plain FILE | write-plain SRC DST FSYNC\n");
    std::exit(2);
}

std::string size_field(const std::string& file) {
    return "size=" + std::to_string(std::filesystem::file_size(file));
}

template <class W>
void dump(const W& w, const std::string& file, brine::dump_options opt) {
    bench::measurement m;
    brine::dump(w, file, opt);
    m.stop();
    bench::report(m, size_field(file) + " data=" + std::to_string(bench::data_bytes(w)));
}

// BRINE_BENCH_MAX_BYTES sets load_options::max_bytes (default 0, the library's
// default); BRINE_BENCH_NO_VERIFY=1 sets verify_checksums = false;
// BRINE_BENCH_NOT_DURABLE=1 sets dump_options::durable = false.
std::uint64_t max_bytes() {
    const char* s = std::getenv("BRINE_BENCH_MAX_BYTES");
    return s ? std::stoull(s) : 0;
}
bool env_flag(const char* name) {
    const char* s = std::getenv(name);
    return s && std::string(s) == "1";
}

template <class W>
void load(const std::string& file, unsigned threads) {
    bench::measurement m;
    W w = brine::load<W>(file, {.threads = threads, .verify_checksums = !env_flag("BRINE_BENCH_NO_VERIFY"), .max_bytes = max_bytes()});
    m.stop();
    bench::report(m, std::string("ok=") + (bench::check(w) ? "1" : "0") + " data=" + std::to_string(bench::data_bytes(w)));
}

std::vector<char> read_all(const std::string& file) {
    const int fd = ::open(file.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + file);
    std::vector<char> buf(std::filesystem::file_size(file));
    std::size_t got = 0;
    while (got < buf.size()) {
        const ssize_t n = ::read(fd, buf.data() + got, std::min<std::size_t>(buf.size() - got, 1 << 30));
        if (n <= 0) throw std::runtime_error("read failed");
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return buf;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 3) usage();
    const std::string op = argv[1];
    if (op == "read-plain") {
        const std::string file = argv[2];
        const std::size_t size = std::filesystem::file_size(file);
        bench::measurement m;
        const int fd = ::open(file.c_str(), O_RDONLY);
        std::unique_ptr<char[]> p(new char[size]);
        std::size_t got = 0;
        while (got < size) {
            const ssize_t n = ::read(fd, p.get() + got, std::min<std::size_t>(size - got, 1 << 30));
            if (n <= 0) throw std::runtime_error("read failed");
            got += static_cast<std::size_t>(n);
        }
        ::close(fd);
        m.stop();
        bench::report(m, "size=" + std::to_string(size) + " ok=" + std::to_string(p[size - 1] == p[size - 1]));
        return 0;
    }
    if (op == "write-plain") {
        if (argc < 5) usage();
        const std::vector<char> bytes = read_all(argv[2]);
        const std::string dst = argv[3];
        const bool do_fsync = std::atoi(argv[4]) != 0;
        bench::measurement m;
        const int fd = ::open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) throw std::runtime_error("cannot create " + dst);
        std::size_t put = 0;
        while (put < bytes.size()) {
            const ssize_t n = ::write(fd, bytes.data() + put, std::min<std::size_t>(bytes.size() - put, 1 << 30));
            if (n <= 0) throw std::runtime_error("write failed");
            put += static_cast<std::size_t>(n);
        }
        if (do_fsync) ::fsync(fd);
        ::close(fd);
        m.stop();
        bench::report(m, size_field(dst));
        return 0;
    }
    if (argc < 4) usage();
    const std::string w = argv[2], file = argv[3];
    if (op == "gen") {  // the cost of building the workload's containers in plain C++ (a floor for typed loads)
        bench::measurement m;
        std::size_t n = 0;
        if (w == "W1") n = bench::data_bytes(bench::make_w1());
        else if (w == "W2") n = bench::data_bytes(bench::make_w2());
        else n = bench::data_bytes(bench::make_w3());
        m.stop();
        bench::report(m, "data=" + std::to_string(n));
    } else if (op == "dump") {
        if (argc < 6) usage();
        brine::dump_options opt;
        opt.codec = brine::codec_from_name(argv[4]);
        if (!opt.codec) throw std::runtime_error(std::string("unknown codec ") + argv[4]);
        opt.threads = static_cast<unsigned>(std::stoul(argv[5]));
        if (argc > 6) opt.level = std::stoi(argv[6]);
        opt.durable = !env_flag("BRINE_BENCH_NOT_DURABLE");
        if (w == "W1") dump(bench::make_w1(), file, opt);
        else if (w == "W2") dump(bench::make_w2(), file, opt);
        else if (w == "W3") dump(bench::make_w3(), file, opt);
        else usage();
    } else if (op == "load" || op == "load-value") {
        if (argc < 5) usage();
        const unsigned threads = static_cast<unsigned>(std::stoul(argv[4]));
        if (op == "load-value") {
            bench::measurement m;
            brine::value v = brine::load(file, {.threads = threads});
            m.stop();
            bench::report(m, "ok=1");
        } else if (w == "W1") load<bench::w1_t>(file, threads);
        else if (w == "W2") load<bench::w2_t>(file, threads);
        else if (w == "W3") load<bench::w3_t>(file, threads);
        else usage();
    } else if (op == "load-mmap") {
        bench::measurement m;
        auto arrays = brine::load<std::vector<brine::array<const double>>>(file, {.mmap = brine::mmap_mode::read_only});
        m.stop();
        const bool ok = arrays.size() == 2 && arrays[1].size() == 25'000'000 && arrays[1](0, 0) == bench::uniform(0);
        bench::report(m, std::string("ok=") + (ok ? "1" : "0"));
    } else {
        usage();
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "brine_bench: %s\n", e.what());
    return 1;
}
