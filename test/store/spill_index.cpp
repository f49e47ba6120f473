// The spill store's table of entries (src/store/spill_index): an
// open-addressing index with deletion by backward shift, keys in an arena
// that is rewritten once erased keys outweigh live ones, disk locations
// packed into a 24-byte record, resident states given back and reused.
#include "store/spill_index.hpp"

#include <brine/error.hpp>

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>

using brine::store::disk_location;
using brine::store::entry_id;
using brine::store::no_entry;
using brine::store::spill_index;

TEST_CASE("spill_index: inserts, finds and erases agree with a std::map under random operations") {
    spill_index t;
    std::map<std::string, entry_id> model;
    std::map<entry_id, disk_location> where;  // what each live entry was last given
    std::mt19937 rng(7);
    // Keys of every length class: empty, short, long enough to need a new
    // arena chunk now and then, and colliding prefixes.
    auto key_of = [&](unsigned k) {
        if (k % 97 == 0) return std::string(k % 5000, char('a' + k % 26));
        return (k % 3 ? "key" : "") + std::to_string(k);
    };
    for (int step = 0; step < 200'000; ++step) {
        const unsigned k = rng() % 20'000;
        const auto key = key_of(k);
        const bool remove = rng() % 3 == 0;
        if (remove) {
            const auto id = t.find(key);
            CHECK((id != no_entry) == model.contains(key));
            if (id != no_entry) {
                t.erase(id);
                model.erase(key);
                where.erase(id);
            }
        } else {
            bool added = false;
            const auto id = t.insert(key, added);
            CHECK(added == !model.contains(key));
            if (!added) CHECK(model[key] == id);
            if (added) CHECK(!t.disk(id));  // a reused record starts empty
            model[key] = id;
            const disk_location at{static_cast<std::uint32_t>(step % 7 + 1), 8 * static_cast<std::uint64_t>(step), static_cast<std::uint64_t>(step)};
            t.set_disk(id, at);
            where[id] = at;
        }
    }
    REQUIRE(t.size() == model.size());
    std::size_t seen = 0;
    t.for_each([&](entry_id id) {
        ++seen;
        const std::string key(t.key(id));
        REQUIRE(model.contains(key));
        CHECK(model[key] == id);
        CHECK(t.find(key) == id);
        CHECK(t.disk(id) == where[id]);
    });
    CHECK(seen == model.size());
    for (unsigned k = 20'000; k < 21'000; ++k) CHECK(t.find(key_of(k)) == no_entry);
}

TEST_CASE("spill_index: keys survive the arena's rewrite") {
    spill_index t;
    bool added = false;
    // 8 MiB of keys, then most of them erased: the arena is rewritten.
    const std::string pad(1000, 'p');
    std::vector<entry_id> ids;
    for (int i = 0; i < 8000; ++i) ids.push_back(t.insert(pad + std::to_string(i), added));
    for (int i = 0; i < 8000; ++i)
        if (i % 10) t.erase(ids[static_cast<std::size_t>(i)]);
    for (int i = 0; i < 8000; i += 10) {
        const auto key = pad + std::to_string(i);
        CHECK(t.find(key) == ids[static_cast<std::size_t>(i)]);
        CHECK(t.key(ids[static_cast<std::size_t>(i)]) == key);
    }
    CHECK(t.size() == 800);
}

TEST_CASE("spill_index: disk locations, long records and resident states round-trip") {
    spill_index t;
    bool added = false;
    const auto a = t.insert("a", added), b = t.insert("b", added);
    CHECK(!t.disk(a));
    const disk_location small{3, 8 * 12345, 4097}, huge{7, 1ull << 42, 5ull << 32}, zero_length{1, 64, 0};
    t.set_disk(a, small);
    t.set_disk(b, huge);
    CHECK(t.disk(a) == small);
    CHECK(t.disk(b) == huge);
    t.set_disk(b, zero_length);  // the long length is forgotten
    CHECK(t.disk(b) == zero_length);
    t.set_disk(b, huge);
    // The resident state's index shares the record: neither disturbs the other.
    t.make_resident(b).seq = (1ull << 62) + 5;
    CHECK(t.disk(b) == huge);
    CHECK(t.find_resident(b)->seq == (1ull << 62) + 5);
    CHECK(t.key(b) == "b");
    CHECK_THROWS_AS(t.set_disk(b, {1, 1ull << 43, 8}), brine::limit_error);
    CHECK(t.disk(b) == huge);
    t.drop_resident(b);
    CHECK(t.disk(b) == huge);
    t.set_disk(b, {});
    CHECK(!t.disk(b));
    CHECK(t.disk(a) == small);
}

TEST_CASE("spill_index: resident states are made, found, given back and reused") {
    spill_index t;
    bool added = false;
    std::vector<entry_id> ids;
    for (int i = 0; i < 3000; ++i) ids.push_back(t.insert(std::to_string(i), added));
    for (auto id : ids) {
        auto& r = t.make_resident(id);
        CHECK(r.value == nullptr);
        r.weight = id + 1;
        r.value = std::make_shared<int>(static_cast<int>(id));
    }
    for (auto id : ids) {
        REQUIRE(t.find_resident(id) != nullptr);
        CHECK(t.find_resident(id)->weight == id + 1);
        CHECK(&t.make_resident(id) == t.find_resident(id));
    }
    for (std::size_t i = 0; i < ids.size(); i += 2) t.drop_resident(ids[i]);
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK((t.find_resident(ids[i]) != nullptr) == (i % 2 == 1));
    // Given-back states come back empty.
    auto& again = t.make_resident(ids[0]);
    CHECK(again.value == nullptr);
    CHECK(again.weight == 0);
    CHECK(again.linked == false);
    t.erase(ids[1]);  // erasing gives the state back too
    bool fresh = false;
    const auto reused = t.insert("new", fresh);
    CHECK(fresh);
    CHECK(t.find_resident(reused) == nullptr);
}
