// Memory-mapped loading (issue 3): zero-copy, aligned, shared, and the three
// modes behave as documented.
#include "sample.hpp"

#include <brine/types/brine_array.hpp>
#include <brine/value/array.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct weights {
    std::string name = "w";
    xt::xtensor<double, 2> w;
    xt::xarray<float, xt::layout_type::column_major> f;
};
BRINE_FIELDS(weights, name, w, f)

struct weights_view {
    std::string name;
    brine::tensor<const double, 2> w;
    brine::array<const float> f;
};
BRINE_FIELDS(weights_view, name, w, f)

std::filesystem::path weights_file() {
    const auto file = brine::test::scratch_root() / "weights.brine";
    weights x;
    x.w = xt::random::rand<double>({300, 200});
    x.f = xt::random::rand<float>({7, 5, 3});
    brine::dump(x, file);
    return file;
}

}  // namespace

TEST_CASE("content is equal under every mmap mode") {
    const auto file = weights_file();
    const auto copy = brine::load<weights>(file);
    for (auto mode : {brine::mmap_mode::read_only, brine::mmap_mode::read_write, brine::mmap_mode::copy_on_write,
                      brine::mmap_mode::read_only_or_load}) {
        CAPTURE(static_cast<int>(mode));
        const auto v = brine::load<weights_view>(file, {.mmap = mode});
        CHECK(v.w.is_mapped());
        CHECK(reinterpret_cast<std::uintptr_t>(v.w.data()) % 64 == 0);
        CHECK(reinterpret_cast<std::uintptr_t>(v.f.data()) % 64 == 0);
        CHECK(v.w == copy.w);
        CHECK(v.f == copy.f);
        // A typed xtensor from a mapped file is a copy with the same content.
        CHECK(brine::load<weights>(file, {.mmap = mode}).w == copy.w);
        // And the generic tree maps as well.
        const brine::value tree = brine::load(file, {.mmap = mode});
        CHECK(tree["w"].as_array().mapped());
    }
}

TEST_CASE("read_write writes reach the file, copy_on_write writes do not") {
    const auto file = brine::test::scratch_root() / "rw.brine";
    brine::dump(xt::xtensor<double, 1>(xt::arange<double>(1000)), file);
    {
        auto cow = brine::load<brine::array<double>>(file, {.mmap = brine::mmap_mode::copy_on_write});
        cow(3) = -1;
        CHECK(cow(3) == -1);
    }
    CHECK(brine::load<xt::xtensor<double, 1>>(file)(3) == 3);
    {
        auto rw = brine::load<brine::array<double>>(file, {.mmap = brine::mmap_mode::read_write});
        rw(3) = -7;
    }
    // The array's checksum was updated when the mapping was released: the
    // file verifies.
    CHECK(brine::load<xt::xtensor<double, 1>>(file)(3) == -7);
}

TEST_CASE("a read-only mapping cannot be loaded as a mutable array") {
    const auto file = weights_file();
    CHECK_THROWS_AS(brine::load<brine::array<double>>(file, {.mmap = brine::mmap_mode::read_only}), brine::error);
}

TEST_CASE("the mapping outlives the archive and the file name") {
    const auto file = brine::test::scratch_root() / "outlive.brine";
    brine::dump(xt::xtensor<double, 1>(xt::arange<double>(5000)), file);
    brine::array<const double> a;
    {
        auto ar = brine::open(file, {.mmap = brine::mmap_mode::read_only});
        a = ar.root().load<brine::array<const double>>();
    }
    std::filesystem::remove(file);
    CHECK(a.is_mapped());
    CHECK(a(4999) == 4999);
}

TEST_CASE("non-native byte order never gives wrong numbers") {
    const auto file = brine::test::scratch_root() / "bigendian.brine";
    {
        brine::detail::dump_session s(file, {});
        auto meta = brine::array_meta::contiguous(brine::dtype::float64, {3});
        meta.order = brine::native_byte_order == brine::byte_order::little ? brine::byte_order::big : brine::byte_order::little;
        s.writer().begin_array(meta);
        for (double d : {1.0, 2.0, 3.0}) {
            std::array<std::byte, 8> b;
            std::memcpy(b.data(), &d, 8);
            std::reverse(b.begin(), b.end());
            s.writer().write_array_data(b);
        }
        s.writer().end_array();
        s.finish();
    }
    CHECK(brine::load<std::vector<double>>(file) == std::vector<double>{1, 2, 3});
    CHECK_THROWS_AS(brine::load<brine::array<const double>>(file, {.mmap = brine::mmap_mode::read_only}), brine::error);
}

TEST_CASE("processes mapping one file share its pages") {
    const auto file = brine::test::scratch_root() / "shared.brine";
    const std::size_t n = 8 << 20;  // 64 MiB of doubles
    {
        xt::xtensor<double, 1> big = xt::arange<double>(static_cast<double>(n));
        brine::dump(big, file);
    }
    // The parent maps and touches every page first...
    const auto mine = brine::load<brine::array<const double>>(file, {.mmap = brine::mmap_mode::read_only});
    REQUIRE(xt::sum(mine)() > 0);
    for (int child = 0; child < 2; ++child) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            // ...each child maps it again and reads all of it. Pages mapped by
            // more than one process count as Shared in smaps; its private memory stays small.
            int code = 0;
            try {
                const auto a = brine::load<brine::array<const double>>(file, {.mmap = brine::mmap_mode::read_only});
                volatile double sum = xt::sum(a)();
                (void)sum;
                std::ifstream smaps("/proc/self/smaps");
                std::string line, mapping;
                std::uint64_t shared_kb = 0, private_kb = 0;
                bool in_file = false;
                while (std::getline(smaps, line)) {
                    if (line.find(file.filename().string()) != std::string::npos) in_file = true;
                    else if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') < 16) in_file = false;
                    if (!in_file) continue;
                    std::uint64_t kb = 0;
                    if (std::sscanf(line.c_str(), "Shared_Clean: %lu kB", &kb) == 1) shared_kb += kb;
                    if (std::sscanf(line.c_str(), "Private_Clean: %lu kB", &kb) == 1) private_kb += kb;
                    if (std::sscanf(line.c_str(), "Private_Dirty: %lu kB", &kb) == 1) private_kb += kb;
                }
                code = (shared_kb >= (n * 8 / 1024) * 9 / 10 && private_kb < 1024) ? 0 : 1;
                if (code) std::fprintf(stderr, "shared %lu kB, private %lu kB\n", shared_kb, private_kb);
            } catch (...) {
                code = 2;
            }
            ::_exit(code);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
}
