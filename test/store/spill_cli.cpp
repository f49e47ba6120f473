// `brine ls DIR` and `brine cat DIR KEY` on a spill store.
#include "spill_test.hpp"

#include <cstdio>

using namespace brine::test;

namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
    return out;
}

}  // namespace

TEST_CASE("cli: brine ls DIR lists a store's entries, brine cat DIR KEY prints one") {
    fresh_dir dir;
    const auto d = dir / "store";
    brine::spill_map<std::string, brine::value> m(brine::spill_options{.memory_limit = 0, .directory = d, .codec = brine::codec_id::zstd, .persist = true});
    m.insert_or_assign("alpha", brine::value("hello"));
    m.insert_or_assign("beta", brine::value(std::int64_t{42}));
    m.flush();
    const std::string cli = BRINE_CLI;
    const auto ls = run(cli + " ls " + d.string());
    CHECK(ls.find("2 entries") != std::string::npos);
    CHECK(ls.find("alpha: ") != std::string::npos);
    CHECK(ls.find("beta: ") != std::string::npos);
    CHECK(ls.find("zstd") != std::string::npos);
    CHECK(run(cli + " cat " + d.string() + " alpha").find("hello") != std::string::npos);
    CHECK(run(cli + " cat " + d.string() + " beta --json") == "42\n");
    CHECK(run(cli + " cat " + d.string() + " gamma").find("no key \"gamma\"") != std::string::npos);
}

TEST_CASE("cli: an encrypted store opens with -i, and is refused without it") {
    fresh_dir dir;
    const auto d = dir / "store";
    const auto key = brine::age::generate_identity();
    {
        std::FILE* f = std::fopen((dir / "key.txt").c_str(), "w");
        REQUIRE(f);
        std::fputs(brine::age::identity_file_text(key).c_str(), f);
        std::fclose(f);
    }
    {
        brine::spill_map<std::string, brine::value> m(brine::spill_options{
            .memory_limit = 0, .directory = d, .persist = true, .encryption = brine::spill_encryption{.identities = {key}}});
        m.insert_or_assign("secret", brine::value("hello"));
    }
    const std::string cli = BRINE_CLI;
    const auto key_file = (dir / "key.txt").string();
    CHECK(run(cli + " ls " + d.string() + " -i " + key_file).find("1 entries") != std::string::npos);
    CHECK(run(cli + " cat " + d.string() + " secret --json -i " + key_file) == "\"hello\"\n");
    CHECK(run(cli + " cat " + d.string() + " secret").find("encrypted") != std::string::npos);
}
