#include "interop/python_to_value.hpp"

#include "interop/allowed_globals.hpp"

#include <brine/value/object.hpp>

#include <string_view>
#include <unordered_set>

namespace brine::interop {

namespace {

// The memo lets a few bytes of pickle stand for a huge tree ("billion
// laughs"). Charge each node about its in-memory size and each string its
// bytes, and allow a fixed amount plus a multiple of the input.
constexpr std::uint64_t node_cost = 64;
constexpr std::uint64_t fixed_allowance = 8u << 20;
constexpr std::uint64_t allowance_per_input_byte = 128;

class converter {
public:
    converter(const load_options& o, std::uint64_t input_bytes, const location& where)
        : max_depth_(o.max_depth), allow_objects_(o.allow_objects),
          budget_(fixed_allowance + allowance_per_input_byte * input_bytes), where_(where) {}

    value convert(const py_object& o, std::uint32_t depth) {
        charge(node_cost);
        // Under an object node, Python types that plain data flattens keep
        // what the object's class will need when it is written back.
        if (in_object_) {
            switch (o.kind) {
            case py_kind::tuple: return tuple_object(o, depth);
            case py_kind::object_array: return object_array_object(o, depth);
            case py_kind::dtype: if (o.args && o.state) return dtype_object(o, depth); break;
            default: break;
            }
        }
        switch (o.kind) {
        case py_kind::none: return value();
        case py_kind::boolean: case py_kind::integer: case py_kind::floating: case py_kind::complex: return value(o.number);
        case py_kind::str: charge(o.text.size()); return value(o.text);
        case py_kind::bytes: case py_kind::bytearray: {
            charge(o.text.size());
            const auto* p = reinterpret_cast<const std::byte*>(o.text.data());
            bytes b(p, p + o.text.size());
            // A bytearray is saved under its own tag, and Python's again.
            return o.kind == py_kind::bytearray ? value::bytearray(std::move(b)) : value(std::move(b));
        }
        case py_kind::tuple: {
            auto v = sequence(o.items.data(), o.items.size(), depth);
            return value::tuple(std::move(v.as_list()));  // saved under the tuple tag, Python's again
        }
        case py_kind::list: case py_kind::set: case py_kind::frozenset:
            return sequence(o.items.data(), o.items.size(), depth);
        case py_kind::dict: return mapping(o, depth);
        case py_kind::ndarray: return value(o.array);
        case py_kind::object_array: return object_array(o, 0, 0, depth);
        case py_kind::dtype:
            return value(o.descr.type ? numpy_descr_text(o.descr) : std::string("object"));
        case py_kind::global: {
            if (!allow_objects_) refuse_object(o.module, o.qualname, {where_.file, o.offset});
            return value(object(o.module, o.qualname, build_kind::global));
        }
        case py_kind::object: return object_node(o, depth);
        case py_kind::pending_array:
            throw corrupt_error(where_, "a numpy array was created but never given its contents (BUILD)");
        case py_kind::array_wrapper:
            throw corrupt_error(where_, "a joblib NumpyArrayWrapper without its array data");
        case py_kind::companion_wrapper:
            throw corrupt_error(where_, "a joblib < 0.10 array wrapper without its state (BUILD), so without its companion file");
        }
        throw corrupt_error(where_, "unknown object");
    }

private:
    value object_node(const py_object& o, std::uint32_t depth) {
        if (!in_object_ && is_naive_datetime(o)) return value(o.number);  // interop/python_datetime.hpp
        if (!allow_objects_) refuse_object(o.module, o.qualname, {where_.file, o.offset});
        const auto d = deeper(depth);
        const bool outer = in_object_;
        in_object_ = true;
        object out(o.module, o.qualname, o.build);
        if (o.args) out.args = std::move(sequence(o.args->items.data(), o.args->items.size(), d).as_list());
        if (o.kwargs) out.kwargs = std::move(mapping(*o.kwargs, d).as_dict());
        if (o.state) {
            out.has_state = true;
            out.state = convert(*o.state, d);
        }
        out.items = std::move(sequence(o.items.data(), o.items.size(), d).as_list());
        for (std::size_t i = 0; i + 1 < o.dict_items.size(); i += 2)
            out.dict_items.emplace_back(convert(*o.dict_items[i], d), convert(*o.dict_items[i + 1], d));
        in_object_ = outer;
        return value(std::move(out));
    }

    static bool is_naive_datetime(const py_object& o) {
        switch (o.global) {
        case allowed_global::datetime_datetime: case allowed_global::datetime_date:
        case allowed_global::datetime_time: case allowed_global::datetime_timedelta:
            return has_time_unit(o.number.type());
        default: return false;
        }
    }

    // builtins.tuple([items]): what a tuple is until brine has a tuple kind.
    value tuple_object(const py_object& o, std::uint32_t depth) {
        object t("builtins", "tuple", build_kind::reduce);
        t.args.push_back(sequence(o.items.data(), o.items.size(), deeper(depth)));
        return value(std::move(t));
    }

    // numpy.dtype(code, False, True) with its BUILD state, as numpy pickles it.
    value dtype_object(const py_object& o, std::uint32_t depth) {
        const auto d = deeper(depth);
        object t("numpy", "dtype", build_kind::reduce);
        t.has_state = true;
        t.args = std::move(sequence(o.args->items.data(), o.args->items.size(), d).as_list());
        t.state = convert(*o.state, d);
        return value(std::move(t));
    }

    // An array of Python objects as numpy pickles it: _reconstruct(ndarray,
    // (0,), b'b') with the state (1, shape, dtype('O'), False, [items]).
    value object_array_object(const py_object& o, std::uint32_t depth) {
        const auto d = deeper(depth);
        auto tuple = [](list items) {
            object t("builtins", "tuple", build_kind::reduce);
            t.args.push_back(value(std::move(items)));
            return value(std::move(t));
        };
        list shape;
        for (const auto n : o.shape) shape.push_back(value(static_cast<std::int64_t>(n)));
        object dt("numpy", "dtype", build_kind::reduce);
        dt.has_state = true;
        dt.args = {value("O8"), value(false), value(true)};
        dt.state = tuple({value(std::int64_t{3}), value("|"), value(), value(), value(), value(std::int64_t{-1}),
                          value(std::int64_t{-1}), value(std::int64_t{63})});
        object a("numpy.core.multiarray", "_reconstruct", build_kind::reduce);
        a.has_state = true;
        a.args = {value(object("numpy", "ndarray", build_kind::global)),
                  tuple({value(std::int64_t{0})}), value(bytes{std::byte{'b'}})};
        a.state = tuple({value(std::int64_t{1}), tuple(std::move(shape)), value(std::move(dt)), value(false),
                         sequence(o.items.data(), o.items.size(), d)});
        return value(std::move(a));
    }

    void charge(std::uint64_t cost) {
        if (cost > budget_)
            throw limit_error(where_, "the pickle expands to a tree far larger than the file (shared references "
                                      "repeated many times); refusing to build it");
        budget_ -= cost;
    }
    std::uint32_t deeper(std::uint32_t depth) const {
        if (depth + 1 > max_depth_)
            throw limit_error(where_, "nesting deeper than load_options::max_depth (" + std::to_string(max_depth_) +
                                          "), or a container that contains itself");
        return depth + 1;
    }

    value sequence(py_object* const* items, std::size_t n, std::uint32_t depth) {
        const auto d = deeper(depth);
        list l;
        l.reserve(n);
        for (std::size_t i = 0; i < n; ++i) l.push_back(convert(*items[i], d));
        return value(std::move(l));
    }

    value mapping(const py_object& o, std::uint32_t depth) {
        const auto d = deeper(depth);
        bool string_keys = true;
        for (std::size_t i = 0; i < o.items.size(); i += 2) string_keys = string_keys && o.items[i]->kind == py_kind::str;
        if (string_keys) {
            dict out;
            out.reserve(o.items.size() / 2);
            std::unordered_set<std::string_view> seen;
            for (std::size_t i = 0; i < o.items.size(); i += 2) {
                const auto& key = o.items[i]->text;
                charge(key.size());
                if (seen.insert(key).second) out.push_back({key, convert(*o.items[i + 1], d)});
                else out.insert(key, convert(*o.items[i + 1], d));  // Python keeps the last value
            }
            return value(std::move(out));
        }
        map out;
        out.reserve(o.items.size() / 2);
        for (std::size_t i = 0; i < o.items.size(); i += 2)
            out.emplace_back(convert(*o.items[i], d), convert(*o.items[i + 1], d));
        return value(std::move(out));
    }

    // Nested lists, one level per axis; items are in C order.
    value object_array(const py_object& o, std::size_t axis, std::size_t first, std::uint32_t depth) {
        if (o.shape.empty()) return convert(*o.items.at(0), depth);
        std::size_t stride = 1;
        for (std::size_t a = axis + 1; a < o.shape.size(); ++a) stride *= static_cast<std::size_t>(o.shape[a]);
        if (axis + 1 == o.shape.size()) return sequence(o.items.data() + first, static_cast<std::size_t>(o.shape[axis]), depth);
        const auto d = deeper(depth);
        list l;
        for (std::uint64_t i = 0; i < o.shape[axis]; ++i) {
            charge(node_cost);
            l.push_back(object_array(o, axis + 1, first + static_cast<std::size_t>(i) * stride, d));
        }
        return value(std::move(l));
    }

    std::uint32_t max_depth_;
    bool allow_objects_;
    bool in_object_ = false;
    std::uint64_t budget_;
    const location& where_;
};

}  // namespace

value python_to_value(const py_object& root, const load_options& options, std::uint64_t input_bytes, const location& where) {
    return converter(options, input_bytes, where).convert(root, 0);
}

}  // namespace brine::interop
