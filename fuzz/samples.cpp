#include "samples.hpp"

#include <complex>
#include <string>

namespace brine::fuzz {

value sample_tree() {
    const double grid[] = {1, 2, 3, 4, 5, 6};
    const std::int16_t small[] = {-1, 2, -3, 4};
    const std::complex<float> waves[] = {{1, -1}, {0.5f, 2}};
    map by_id;
    by_id.emplace_back(value(std::int32_t{-7}), value("minus seven"));
    by_id.emplace_back(value(std::uint8_t{200}), value(list{value(true), value(none)}));
    return dict{
        {"name", "sample \xc3\xa9t\xc3\xa9"},
        {"flag", true},
        {"count", std::int64_t{-123456789}},
        {"ratio", 0.25f},
        {"z", std::complex<double>{1.5, -2}},
        {"nothing", none},
        {"raw", bytes{std::byte{0}, std::byte{0xff}, std::byte{0x42}}},
        {"long_text", std::string(4100, 'x')},
        {"nested", list{value(list{}), value(dict{}), value(list{value(1.0), value("deep")})}},
        {"by_id", std::move(by_id)},
        {"grid", ndarray::copy_of<double>(grid, {2, 3})},
        {"fortran", ndarray::copy_of<std::int16_t>(small, {2, 2}, memory_order::fortran)},
        {"waves", ndarray::copy_of<std::complex<float>>(waves, {2})},
        {"scalar_array", ndarray::zeros(dtype::uint32, {})},
        {"empty_array", ndarray::zeros(dtype::float32, {0, 3})},
        {"when", scalar::time(dtype::datetime64, 18000, {time_unit::minute, 15})},
        {"spans", [] {
             const std::int64_t ticks[] = {5, not_a_time, -3};
             auto meta = array_meta::contiguous(dtype::timedelta64, {3});
             meta.unit = {time_unit::nanosecond, 1};
             auto a = ndarray::copy_of<std::int64_t>(ticks, {3});
             return ndarray(std::move(meta), a.buffer());
         }()},
        {"labels", [] {
             const std::string words[] = {"cat", "d\xc3\xa9j\xc3\xa0", ""};
             return ndarray::from_strings(dtype::str, words, {3}, memory_order::c, byte_order::big);
         }()},
        {"codes", [] {
             const std::string codes[] = {"ab", std::string("\0c", 2)};
             return ndarray::from_strings(dtype::bytes, codes, {2});
         }()},
        {"points", [] {
             // A record: a big-endian field, a nested record, a sub-array
             // field, padding ([('id', '>u2'), ('at', [('x', '<f4')]), ('v', 'u1', (3,))], 12 bytes).
             const element_type at{dtype::record, native_byte_order, {}, 4, {{"x", 0, {dtype::float32, byte_order::little, {}, 1, {}}, {}}}};
             const element_type point{dtype::record, native_byte_order, {}, 12,
                                      {{"id", 0, {dtype::uint16, byte_order::big, {}, 1, {}}, {}},
                                       {"at", 4, at, {}},
                                       {"v", 8, {dtype::uint8, native_byte_order, {}, 1, {}}, {3}}}};
             const std::uint8_t bytes[24] = {0, 7, 0, 0, 0, 0, 0x80, 0x3f, 1, 2, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 4, 5, 6, 0};
             auto a = ndarray::copy_of<std::uint8_t>(bytes, {24});
             return ndarray(array_meta::contiguous_of(point, {2}), a.buffer());
         }()},
    };
}

fuzz_model sample_model() {
    fuzz_model m;
    m.name = "model";
    m.losses = {0.9, 0.5, 0.25};
    m.groups = {{"even", {0, 2, 4}}, {"odd", {1, 3}}, {"none", {}}};
    m.labels = {{-1, "negative"}, {3, "three"}};
    m.weights = xt::xtensor<float, 2>{{1, 2, 3}, {4, 5, 6}};
    m.grid = xt::xarray<double, xt::layout_type::column_major>{{1, 2}, {3, 4}, {5, 6}};
    m.note = "a note";
    m.tag = std::string("tagged");
    m.blobs = {{1, 2, 3}, {}, {255}};
    return m;
}

}  // namespace brine::fuzz

namespace brine::fuzz {

value sample_objects() {
    auto tuple = [](list items) {
        object t("builtins", "tuple", build_kind::reduce);
        t.args.push_back(value(std::move(items)));
        return value(std::move(t));
    };
    const double coef[] = {0.5, -1.5, 2.25};
    object tree_node("sklearn.tree._classes", "DecisionTreeClassifier", build_kind::newobj);
    tree_node.has_state = true;
    tree_node.state = dict{{"max_depth", std::int64_t{3}}, {"criterion", "gini"}};
    object estimator("sklearn.linear_model._logistic", "LogisticRegression", build_kind::newobj);
    estimator.has_state = true;
    estimator.state = dict{
        {"coef_", ndarray::copy_of(std::span<const double>(coef), {1, 3})},
        {"penalty", "l2"},
        {"shape", tuple({value(std::int64_t{1}), value(std::int64_t{3})})},
        {"estimators_", list{value(tree_node), value(tree_node)}},
        {"dtype", value(object("numpy", "float64", build_kind::global))},
        {"_sklearn_version", "1.2.1"},
    };
    object dtype_o("numpy", "dtype", build_kind::reduce);
    dtype_o.args = {value("O8"), value(false), value(true)};
    dtype_o.has_state = true;
    dtype_o.state = tuple({value(std::int64_t{3}), value("|"), value(), value(), value(), value(std::int64_t{-1}),
                           value(std::int64_t{-1}), value(std::int64_t{63})});
    object strings("numpy.core.multiarray", "_reconstruct", build_kind::reduce);
    strings.args = {value(object("numpy", "ndarray", build_kind::global)), tuple({value(std::int64_t{0})}),
                    value(bytes{std::byte{'b'}})};
    strings.has_state = true;
    strings.state = tuple({value(std::int64_t{1}), tuple({value(std::int64_t{2})}), value(dtype_o), value(false),
                           list{value("a"), value("b")}});
    object frame("pandas.core.frame", "DataFrame", build_kind::newobj_ex);
    frame.kwargs = dict{{"copy", false}};
    frame.has_state = true;
    frame.state = dict{{"_mgr", value(strings)}, {"_typ", "dataframe"}};
    object counter("collections", "Counter", build_kind::obj);
    counter.dict_items.emplace_back(value("x"), value(std::int64_t{2}));
    object deque("collections", "deque", build_kind::inst);
    deque.items = {value(std::int64_t{1}), value(std::int64_t{2})};
    return list{value(estimator), value(frame), value(counter), value(deque)};
}

}  // namespace brine::fuzz
