// disk_limit and a full disk: a clear capacity_error, the data stays in
// memory, nothing is lost.
#include "spill_test.hpp"

#include <sys/mount.h>
#include <unistd.h>

using namespace brine::test;

namespace {

using array_map = brine::spill_map<std::string, brine::array<double>>;

// Inserts 1 MiB arrays until the store refuses one; returns how many it took
// and checks that every one of them is still readable and intact.
int fill_until_refused(array_map& m, const std::string& expected) {
    int n = 0;
    for (;; ++n) {
        try {
            m.insert_or_assign("a" + std::to_string(n), doubles(MiB / 8, n));
        } catch (const brine::capacity_error& e) {
            INFO(e.what());
            CHECK(std::string(e.what()).find(expected) != std::string::npos);
            break;
        }
        REQUIRE(n < 200);
    }
    CHECK(!m.contains("a" + std::to_string(n)));
    CHECK(m.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto a = m.get("a" + std::to_string(i));
        REQUIRE(a);
        CHECK((*a)(1000) == 1000.0 + i);
    }
    return n;
}

}  // namespace

TEST_CASE("limits: going past disk_limit is a capacity_error and the data stays in memory") {
    array_map m(brine::spill_options{.memory_limit = 2 * MiB + MiB / 2, .disk_limit = 3 * MiB + MiB / 2});
    const int n = fill_until_refused(m, "disk_limit");
    CHECK(n >= 4);
    CHECK(m.stats().disk_bytes <= 3 * MiB + MiB / 2);
    CHECK(m.stats().memory_bytes <= 2 * MiB + MiB / 2);
    // Erasing makes room again: compaction reclaims the dead records.
    for (int i = 0; i < n; ++i) m.erase("a" + std::to_string(i));
    for (int i = 0; i < 3; ++i) m.insert_or_assign("b" + std::to_string(i), doubles(MiB / 8, i));
    m.flush();
    CHECK(m.stats().disk_bytes <= 3 * MiB + MiB / 2);
    // flush() must put a fourth on disk too, which does not fit.
    m.insert_or_assign("b3", doubles(MiB / 8, 3));
    CHECK_THROWS_AS(m.flush(), brine::capacity_error);
    CHECK((*m.get("b3"))(3) == 6.0);
    CHECK((*m.get("b0"))(3) == 3.0);
}

TEST_CASE("limits: a full disk (ENOSPC) is a capacity_error and nothing is lost") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: mounting a small tmpfs needs root");
        return;
    }
    fresh_dir dir;
    const auto mnt = dir / "small";
    fs::create_directories(mnt);
    if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=4m") != 0) {
        MESSAGE("skipped: cannot mount a tmpfs here (" << std::strerror(errno) << ")");
        return;
    }
    struct unmount {
        fs::path p;
        ~unmount() { ::umount2(p.c_str(), MNT_DETACH); }
    } guard{mnt};
    {
        array_map m(brine::spill_options{.memory_limit = 2 * MiB + MiB / 2, .directory = mnt / "store"});
        const int n = fill_until_refused(m, "disk is full");
        CHECK(n >= 4);
        CHECK(m.stats().memory_bytes <= 2 * MiB + MiB / 2);
    }
}
