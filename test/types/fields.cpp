// User types through brine_fields: the macro, by hand, as a hidden friend;
// nesting; schema evolution (old file -> new struct, new file -> old struct).
#include "round_trip.hpp"

using namespace brine;
using namespace brine::test;

namespace zoo {

struct point {
    double x = 0, y = 0;
    friend bool operator==(const point&, const point&) = default;
};
BRINE_FIELDS(point, x, y)

struct layer {
    std::string name;
    xt::xtensor<float, 2> weights;
    std::vector<double> bias;
    point origin;
    friend bool operator==(const layer&, const layer&) = default;
};
BRINE_FIELDS(layer, name, weights, bias, origin)

struct model {
    std::string name;
    std::vector<layer> layers;
    std::map<std::string, point> anchors;
    std::optional<int> seed;
    friend bool operator==(const model&, const model&) = default;
};
// Written by hand, with a stored name that differs from the member's.
constexpr auto brine_fields(brine::tag<model>) {
    return brine::fields("model", brine::field("name", &model::name), brine::field("layers", &model::layers),
                         brine::field("anchors", &model::anchors), brine::field("random_seed", &model::seed));
}

// Private members: the description is a hidden friend.
class account {
public:
    account() = default;
    account(std::string owner, std::int64_t cents) : owner_(std::move(owner)), cents_(cents) {}
    friend bool operator==(const account&, const account&) = default;

private:
    std::string owner_;
    std::int64_t cents_ = 0;
    friend constexpr auto brine_fields(brine::tag<account>) {
        return brine::fields("account", brine::field("owner", &account::owner_),
                             brine::field("cents", &account::cents_));
    }
};

// Two versions of one struct: v2 gained `tags` and `scale` and dropped `legacy`.
struct config_v1 {
    std::string name;
    int legacy = 0;
    std::vector<int> sizes;
};
BRINE_FIELDS(config_v1, name, legacy, sizes)

struct config_v2 {
    std::string name;
    std::vector<int> sizes;
    std::vector<std::string> tags{"default"};
    double scale = 1.5;
};
BRINE_FIELDS(config_v2, name, sizes, tags, scale)

struct empty {
    friend bool operator==(const empty&, const empty&) = default;
};
BRINE_FIELDS(empty)

}  // namespace zoo

struct global_type {
    int v = 0;
    friend bool operator==(const global_type&, const global_type&) = default;
};
BRINE_FIELDS(global_type, v)

namespace {

zoo::model sample_model() {
    zoo::model m;
    m.name = "r\xc3\xa9seau";
    zoo::layer l;
    l.name = "dense";
    l.weights = xt::xtensor<float, 2>{{1, 2, 3}, {4, 5, 6}};
    l.bias = {0.5, -0.5};
    l.origin = {1, 2};
    m.layers = {l, zoo::layer{}};
    m.anchors = {{"a", {3, 4}}};
    m.seed = 42;
    return m;
}

}  // namespace

TEST_CASE("structs are dicts of named fields, nested and in containers") {
    const auto m = sample_model();
    CHECK(round_trip(m) == m);
    CHECK(root_kind(saved(m)) == node_kind::dict);
    CHECK(round_trip(zoo::point{-1, 2}) == zoo::point{-1, 2});
    const std::vector<zoo::point> points{{1, 2}, {3, 4}};
    CHECK(round_trip(points) == points);
    const std::unordered_map<int, zoo::layer> by_id{{1, m.layers[0]}};
    CHECK(round_trip(by_id) == by_id);
    CHECK(round_trip(zoo::account("ann", -5)) == zoo::account("ann", -5));
    CHECK(round_trip(zoo::empty{}) == zoo::empty{});
    CHECK(round_trip(global_type{3}) == global_type{3});
}

TEST_CASE("the stored keys are the field names") {
    const auto file = saved(zoo::model{});
    io::memory_source source(file);
    format::reader r(source, load_options{});
    CHECK(r.begin_dict() == 4);
    std::vector<std::string> keys;
    for (int i = 0; i < 4; ++i) {
        keys.push_back(r.read_key());
        r.skip_value();
    }
    r.end();
    CHECK(keys == std::vector<std::string>{"name", "layers", "anchors", "random_seed"});
}

TEST_CASE("an older file loads into a newer struct: missing fields keep their defaults") {
    const auto old_file = saved(zoo::config_v1{"net", 7, {1, 2}});
    const auto v2 = loaded<zoo::config_v2>(old_file);
    CHECK(v2.name == "net");
    CHECK(v2.sizes == std::vector<int>{1, 2});
    CHECK(v2.tags == std::vector<std::string>{"default"});
    CHECK(v2.scale == 1.5);
}

TEST_CASE("a newer file loads into an older struct: unknown keys are skipped") {
    const auto new_file = saved(zoo::config_v2{"net", {3}, {"x", "y"}, 2.0});
    const auto v1 = loaded<zoo::config_v1>(new_file);
    CHECK(v1.name == "net");
    CHECK(v1.legacy == 0);
    CHECK(v1.sizes == std::vector<int>{3});
}

TEST_CASE("a wrong field type names the path inside the tree") {
    auto m = sample_model();
    const auto file = written([&](format::writer& w) {
        w.begin_dict(1);
        w.write_key("layers");
        w.begin_list(2);
        brine::save(w, m.layers[0]);
        w.begin_dict(1);
        w.write_key("bias");
        w.write_string("oops");
        w.end();
        w.end();
        w.end();
    });
    CHECK(load_error<zoo::model>(file) == "root[\"layers\"][1][\"bias\"]: stored string, requested std::vector<double>");
    CHECK(load_error<zoo::model>(saved(std::vector<int>{1})) ==
          "root: stored int32 array of shape (1,), requested model");
}

TEST_CASE("type names come from the description") {
    CHECK(type_name<zoo::layer>() == "layer");
    CHECK(type_name<zoo::model>() == "model");
    CHECK(type_name<std::vector<zoo::point>>() == "std::vector<point>");
    static_assert(described<zoo::account>);
    static_assert(!described<std::string>);
}
