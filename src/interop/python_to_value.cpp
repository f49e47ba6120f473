#include "interop/python_to_value.hpp"

#include "interop/allowed_globals.hpp"

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
        : max_depth_(o.max_depth), budget_(fixed_allowance + allowance_per_input_byte * input_bytes), where_(where) {}

    value convert(const py_object& o, std::uint32_t depth) {
        charge(node_cost);
        switch (o.kind) {
        case py_kind::none: return value();
        case py_kind::boolean: case py_kind::integer: case py_kind::floating: case py_kind::complex: return value(o.number);
        case py_kind::str: charge(o.text.size()); return value(o.text);
        case py_kind::bytes: case py_kind::bytearray: {
            charge(o.text.size());
            const auto* p = reinterpret_cast<const std::byte*>(o.text.data());
            return value(bytes(p, p + o.text.size()));
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
            return value(o.descr.type ? numpy_descr_text(*o.descr.type, o.descr.order) : std::string("object"));
        case py_kind::global:
            throw type_error(where_, "the pickle holds a reference to " + global_name(o.global) + " itself, which is not data");
        case py_kind::pending_array:
            throw corrupt_error(where_, "a numpy array was created but never given its contents (BUILD)");
        case py_kind::array_wrapper:
            throw corrupt_error(where_, "a joblib NumpyArrayWrapper without its array data");
        }
        throw corrupt_error(where_, "unknown object");
    }

private:
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
    std::uint64_t budget_;
    const location& where_;
};

}  // namespace

value python_to_value(const py_object& root, const load_options& options, std::uint64_t input_bytes, const location& where) {
    return converter(options, input_bytes, where).convert(root, 0);
}

}  // namespace brine::interop
