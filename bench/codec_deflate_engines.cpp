// Measures the three deflate engines brine could use (zlib, libdeflate, ISA-L)
// on W1-like data (ones + uniform random doubles) and W3-like data (smooth
// float32 images), one block at a time, single thread. Used to choose the
// engine documented in docs/codecs.md.
//   g++ -O2 -std=c++20 bench/codec_deflate_engines.cpp -lz -ldeflate -lisal
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

using clk = std::chrono::steady_clock;
static constexpr size_t block = 4 << 20;

static std::vector<unsigned char> make_w1(size_t bytes) {
    std::vector<unsigned char> v(bytes);
    size_t half = bytes / 2 / 8 * 8;
    for (size_t i = 0; i < half; i += 8) { double d = 1.0; std::memcpy(&v[i], &d, 8); }
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    for (size_t i = half; i + 8 <= bytes; i += 8) { double d = u(rng); std::memcpy(&v[i], &d, 8); }
    return v;
}
static std::vector<unsigned char> make_w3(size_t bytes) {
    std::vector<unsigned char> v(bytes);
    std::mt19937 rng(2);
    std::normal_distribution<float> n(0, 0.01f);
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        size_t k = i / 4, img = k / (62 * 47), y = k % (62 * 47) / 47, x = k % 47;
        float f = 0.5f + 0.3f * std::sin(x * 0.1f + img) * std::cos(y * 0.13f) + n(rng);
        std::memcpy(&v[i], &f, 4);
    }
    return v;
}

template <class F> static double seconds(F&& f) {
    auto t0 = clk::now(); f(); return std::chrono::duration<double>(clk::now() - t0).count();
}

static void run(const char* name, const std::vector<unsigned char>& data) {
    const double mb = data.size() / 1e6;
    std::vector<unsigned char> out(libdeflate_deflate_compress_bound(nullptr, block) + 1024);
    std::vector<unsigned char> back(block);
    auto each_block = [&](auto&& fn) {
        for (size_t off = 0; off < data.size(); off += block) fn(data.data() + off, std::min(block, data.size() - off));
    };
    auto report = [&](const char* engine, int level, size_t total, double t_c, double t_d) {
        std::printf("%-3s %-10s L%d  ratio %.4f  comp %7.1f MB/s  decomp %7.1f MB/s\n", name, engine, level,
                    double(total) / data.size(), mb / t_c, mb / t_d);
    };
    for (int level : {1, 3, 6}) {
        std::vector<std::vector<unsigned char>> parts;
        size_t total = 0;
        double tc = seconds([&] { each_block([&](const unsigned char* p, size_t n) {
            z_stream z{}; deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
            z.next_in = const_cast<unsigned char*>(p); z.avail_in = n; z.next_out = out.data(); z.avail_out = out.size();
            deflate(&z, Z_FINISH); parts.emplace_back(out.data(), out.data() + z.total_out); total += z.total_out; deflateEnd(&z);
        }); });
        double td = seconds([&] { for (auto& c : parts) {
            z_stream z{}; inflateInit2(&z, -15); z.next_in = c.data(); z.avail_in = c.size();
            z.next_out = back.data(); z.avail_out = back.size(); inflate(&z, Z_FINISH); inflateEnd(&z);
        } });
        report("zlib", level, total, tc, td);
    }
    for (int level : {1, 2, 3, 4, 6}) {
        std::vector<std::vector<unsigned char>> parts;
        size_t total = 0;
        auto* c = libdeflate_alloc_compressor(level);
        auto* d = libdeflate_alloc_decompressor();
        double tc = seconds([&] { each_block([&](const unsigned char* p, size_t n) {
            size_t k = libdeflate_deflate_compress(c, p, n, out.data(), out.size());
            parts.emplace_back(out.data(), out.data() + k); total += k;
        }); });
        double td = seconds([&] { for (auto& p : parts) {
            size_t got; libdeflate_deflate_decompress(d, p.data(), p.size(), back.data(), back.size(), &got);
        } });
        report("libdeflate", level, total, tc, td);
        libdeflate_free_compressor(c); libdeflate_free_decompressor(d);
    }
    for (int level : {1, 2, 3}) {
        std::vector<std::vector<unsigned char>> parts;
        size_t total = 0;
        std::vector<unsigned char> lvlbuf(level == 1 ? ISAL_DEF_LVL1_DEFAULT : level == 2 ? ISAL_DEF_LVL2_DEFAULT : ISAL_DEF_LVL3_DEFAULT);
        double tc = seconds([&] { each_block([&](const unsigned char* p, size_t n) {
            isal_zstream s; isal_deflate_stateless_init(&s);
            s.level = level; s.level_buf = lvlbuf.data(); s.level_buf_size = lvlbuf.size();
            s.next_in = const_cast<unsigned char*>(p); s.avail_in = n; s.next_out = out.data(); s.avail_out = out.size();
            s.end_of_stream = 1; s.flush = NO_FLUSH;
            if (isal_deflate_stateless(&s) != COMP_OK) std::puts("isal fail");
            parts.emplace_back(out.data(), out.data() + s.total_out); total += s.total_out;
        }); });
        double td = seconds([&] { for (auto& p : parts) {
            inflate_state st; isal_inflate_init(&st); st.next_in = p.data(); st.avail_in = p.size();
            st.next_out = back.data(); st.avail_out = back.size(); isal_inflate(&st);
        } });
        report("isa-l", level, total, tc, td);
    }
}

int main() {
    run("W1", make_w1(128 << 20));
    run("W3", make_w3(128 << 20));
}
