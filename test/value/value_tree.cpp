// brine::value: building, walking, checked access, descriptions, equality.
#include <brine/value/value.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

using namespace brine;

namespace {

value sample() {
    return dict{
        {"name", "model"},
        {"layers", list{dict{{"w", ndarray::zeros(dtype::float32, {2, 3})}, {"bias", 0.5}}, none}},
        {"count", std::int64_t{3}},
        {"blob", bytes{std::byte{0}, std::byte{255}}},
        {"by_id", map{{value(std::int32_t{7}), value("seven")}}},
    };
}

}  // namespace

TEST_CASE("a tree is built from literals and walked by key and index") {
    const value v = sample();
    CHECK(v.is_dict());
    CHECK(v.size() == 5);
    CHECK(v["name"].as_string() == "model");
    CHECK(v["layers"].size() == 2);
    CHECK(v["layers"][0]["bias"].as<double>() == 0.5);
    CHECK(v["layers"][1].is_none());
    CHECK(v["layers"][0]["w"].as_array().shape() == std::vector<std::uint64_t>{2, 3});
    CHECK(v["count"].as<std::int64_t>() == 3);
    CHECK(v["blob"].as_bytes().size() == 2);
    CHECK(v["by_id"].as_map()[0].second.as_string() == "seven");
    CHECK(v.kind() == node_kind::dict);
    CHECK(v["by_id"].kind() == node_kind::map);
    CHECK(v["layers"][0]["w"].kind() == node_kind::array);
}

TEST_CASE("checked access throws brine::type_error naming both kinds; missing entries std::out_of_range") {
    const value v = sample();
    try {
        (void)v["name"].as_list();
        FAIL("no throw");
    } catch (const type_error& e) {
        CHECK(std::string(e.detail()) == "stored string, requested list");
    }
    CHECK_THROWS_AS(v["nope"], std::out_of_range);
    CHECK_THROWS_AS(v["layers"][2], std::out_of_range);
    CHECK_THROWS_AS(v["name"][0], type_error);
    CHECK_THROWS_AS(v[0], type_error);
    // Numbers convert under the lossless rule only, whatever the value.
    CHECK_THROWS_AS(v["count"].as<double>(), type_error);
    CHECK_THROWS_AS(v["count"].as<std::int32_t>(), type_error);
    CHECK(value(std::int32_t{5}).as<std::int64_t>() == 5);
    CHECK(value(2.5f).as<double>() == 2.5);
}

TEST_CASE("a tree is edited in place") {
    value v = sample();
    v["name"] = "renamed";
    v["layers"][1] = list{1, 2};
    v.as_dict()["new"] = 42;  // dict::operator[] inserts; value::operator[] does not
    v.as_dict().insert("count", 4);  // replaces, keeping the position
    CHECK(v["name"].as_string() == "renamed");
    CHECK(v["layers"][1].size() == 2);
    CHECK(v["new"].as<int>() == 42);
    CHECK(v.as_dict().begin()[2].first == "count");
    CHECK(v["count"].as<int>() == 4);
    CHECK(v.size() == 6);
    CHECK_THROWS_AS(v["absent"], std::out_of_range);
    CHECK(v.size() == 6);
    dict d{{"a", 1}, {"a", 2}};  // a repeated key in a literal keeps the last value
    CHECK(d.size() == 1);
    CHECK(d.at("a").as<int>() == 2);
}

TEST_CASE("describe: short names for messages") {
    const value v = sample();
    CHECK(v.describe() == "dict of 5 entries");
    CHECK(v["layers"].describe() == "list of 2 items");
    CHECK(v["layers"][0]["w"].describe() == "float32 array of shape (2, 3)");
    CHECK(v["count"].describe() == "int64");
    CHECK(v["name"].describe() == "string");
    CHECK(v["blob"].describe() == "bytes");
    CHECK(v["by_id"].describe() == "map of 1 entry");
    CHECK(value().describe() == "none");
    CHECK(value(list{1}).describe() == "list of 1 item");
}

TEST_CASE("equality: structural, NaN equals NaN, dicts in any order, arrays logically") {
    CHECK(sample() == sample());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(value(list{nan, 1}) == value(list{nan, 1}));
    CHECK_FALSE(value(list{1, 2}) == value(list{2, 1}));
    CHECK_FALSE(value(1) == value(1.0));                       // int32 vs float64
    CHECK_FALSE(value(std::int32_t{1}) == value(std::int64_t{1}));
    CHECK_FALSE(value("a") == value(bytes{std::byte{'a'}}));
    CHECK(value(dict{{"a", 1}, {"b", 2}}) == value(dict{{"b", 2}, {"a", 1}}));
    CHECK_FALSE(value(dict{{"a", 1}, {"b", 2}}) == value(dict{{"b", 2}, {"c", 1}}));
    CHECK_FALSE(value(dict{{"a", 1}}) == value(dict{{"a", 1}, {"b", 2}}));
    CHECK_FALSE(value(map{{1, 2}}) == value(dict{{"1", 2}}));
    CHECK(value() == value(none));

    const std::vector<int> rows = {1, 2, 3, 4}, cols = {1, 3, 2, 4};
    CHECK(value(ndarray::copy_of<int>(rows, {2, 2})) == value(ndarray::copy_of<int>(cols, {2, 2}, memory_order::fortran)));

    value changed = sample();
    changed["layers"][0]["bias"] = 0.25;
    CHECK_FALSE(changed == sample());
}
