// spill_options::encryption (issue 16): values on disk are age files under
// the store's header; a temporary store's key dies with the map; a
// persistent one opens again only with its keys.
#include "spill_test.hpp"

#include <fstream>
#include <iterator>

using namespace brine::test;

namespace {

using string_map = brine::spill_map<std::string, std::string>;
const std::string marker = "plaintext-marker-that-must-never-reach-the-disk-";

std::string value_of(int i) {
    std::string s;
    for (int k = 0; k < 40; ++k) s += marker + std::to_string(i);
    return s;
}

// Every segment file's bytes, concatenated.
std::string segment_contents(const fs::path& dir) {
    std::string all;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".bss") continue;
        std::ifstream in(e.path(), std::ios::binary);
        all.append(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("spill encryption: a temporary store spills age files and reads them back") {
    fresh_dir dir;
    brine::spill_options o{.memory_limit = 0, .directory = dir / "tmp", .encryption = brine::spill_encryption{}};
    string_map m(o);
    for (int i = 0; i < 50; ++i) m.insert_or_assign("k" + std::to_string(i), value_of(i));
    m.flush();
    CHECK(m.stats().spills == 50);
    const auto disk = segment_contents(dir / "tmp");
    CHECK(disk.find("plaintext-marker") == std::string::npos);
    CHECK(count(disk, "age-encryption.org/v1\n") == 50);
    CHECK(!fs::exists(dir / "tmp" / "AGE-HEADER"));  // the key lives in memory only
    for (int i = 0; i < 50; ++i) {
        auto v = m.get("k" + std::to_string(i));
        REQUIRE(v != nullptr);
        CHECK(*v == value_of(i));
    }
}

TEST_CASE("spill encryption: arrays and compression go through the filter too") {
    fresh_dir dir;
    brine::spill_map<std::string, brine::array<double>> m(
        {.memory_limit = 0, .directory = dir / "s", .codec = brine::codec_id::zstd, .encryption = brine::spill_encryption{}});
    m.insert_or_assign("big", doubles(300000, 1));  // beyond the mapping threshold: decrypted, not mapped
    m.insert_or_assign("small", doubles(10, 2));
    m.flush();
    CHECK(*m.get("big") == doubles(300000, 1));
    CHECK(*m.get("small") == doubles(10, 2));
}

TEST_CASE("spill encryption: a persistent store opens again with its identity, and only with keys") {
    fresh_dir dir;
    const auto key = brine::age::generate_identity();
    brine::spill_options o{.memory_limit = 0, .directory = dir / "p", .persist = true,
                           .encryption = brine::spill_encryption{.identities = {key}}};
    {
        string_map m(o);
        for (int i = 0; i < 20; ++i) m.insert_or_assign("k" + std::to_string(i), value_of(i));
    }
    CHECK(fs::exists(dir / "p" / "AGE-HEADER"));
    CHECK(segment_contents(dir / "p").find("plaintext-marker") == std::string::npos);
    {
        string_map m(o);
        CHECK(m.size() == 20);
        CHECK(*m.get("k7") == value_of(7));
        m.insert_or_assign("k20", value_of(20));  // appends under the same header
    }
    SUBCASE("without keys: refused, naming the store") {
        auto plain = o;
        plain.encryption.reset();
        plain.read_only = true;
        CHECK_THROWS_WITH_AS(string_map{plain}, doctest::Contains("spill_options::encryption"), brine::unsupported_error);
    }
    SUBCASE("with another identity: a decryption error") {
        auto other = o;
        other.encryption = brine::spill_encryption{.identities = {brine::age::generate_identity()}};
        CHECK_THROWS_AS(string_map{other}, brine::decryption_error);
    }
    SUBCASE("read-only with the recipient's identity") {
        auto ro = o;
        ro.read_only = true;
        string_map m(ro);
        CHECK(*m.get("k20") == value_of(20));
    }
}

TEST_CASE("spill encryption: a passphrase-wrapped store, and a record encrypted by another store") {
    fresh_dir dir;
    brine::spill_options o{.memory_limit = 0, .directory = dir / "p", .persist = true,
                           .encryption = brine::spill_encryption{.passphrase = "correct horse", .work_factor = 10}};
    {
        string_map m(o);
        m.insert_or_assign("a", value_of(1));
    }
    {
        auto wrong = o;
        wrong.encryption->passphrase = "wrong";
        CHECK_THROWS_AS(string_map{wrong}, brine::decryption_error);
    }
    // A header from another store: its records no longer open, each one
    // failing with a brine::error rather than giving other bytes.
    fs::remove(dir / "p" / "AGE-HEADER");
    {
        string_map m(o);  // writes a new header, with a new file key
        CHECK_THROWS_AS(m.get("a"), brine::error);
        m.insert_or_assign("b", value_of(2));
        CHECK(*m.get("b") == value_of(2));
    }
}

TEST_CASE("spill encryption: a tampered value is an error, never other data") {
    fresh_dir dir;
    const auto key = brine::age::generate_identity();
    brine::spill_options o{.memory_limit = 0, .directory = dir / "p", .persist = true,
                           .encryption = brine::spill_encryption{.identities = {key}}};
    {
        string_map m(o);
        m.insert_or_assign("a", value_of(1));
    }
    int tampered = 0;
    for (const auto& e : fs::directory_iterator(dir / "p")) {
        if (e.path().extension() != ".bss") continue;
        std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
        std::string bytes(std::istreambuf_iterator<char>(f), {});
        const auto at = bytes.find("age-encryption.org/v1\n");
        if (at == std::string::npos) continue;
        f.seekp(static_cast<std::streamoff>(at + 600));  // inside the first chunk, past the header
        f.put(static_cast<char>(bytes[at + 600] ^ 0x20));
        ++tampered;
    }
    REQUIRE(tampered == 1);
    string_map m(o);
    std::shared_ptr<const std::string> v;
    CHECK_THROWS_AS(v = m.get("a"), brine::error);
    CHECK(v == nullptr);
}
