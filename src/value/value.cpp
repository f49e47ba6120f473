// brine::value and brine::dict: checked access, descriptions, equality.
#include <brine/value/value.hpp>

#include "value_error.hpp"

#include <stdexcept>
#include <unordered_map>

namespace brine {

// ---- dict ------------------------------------------------------------------

dict::dict(std::initializer_list<entry> entries) {
    entries_.reserve(entries.size());
    for (const auto& e : entries) insert(e.first, e.second);
}

value* dict::find(std::string_view key) noexcept {
    for (auto& e : entries_)
        if (e.first == key) return &e.second;
    return nullptr;
}

const value* dict::find(std::string_view key) const noexcept {
    return const_cast<dict*>(this)->find(key);
}

value& dict::operator[](std::string_view key) {
    if (value* v = find(key)) return *v;
    entries_.emplace_back(std::string(key), value());
    return entries_.back().second;
}

const value& dict::at(std::string_view key) const {
    if (const value* v = find(key)) return *v;
    throw std::out_of_range("dict has no key '" + std::string(key) + "'");
}

value& dict::insert(std::string key, value v) {
    if (value* old = find(key)) return *old = std::move(v);
    entries_.emplace_back(std::move(key), std::move(v));
    return entries_.back().second;
}

// Python's rule: the same keys with equal values, in any order.
bool operator==(const dict& a, const dict& b) {
    if (a.size() != b.size()) return false;
    std::size_t i = 0;
    // Loaded dicts keep their order, so position by position is the usual case.
    for (; i < a.size(); ++i) {
        const auto& [ka, va] = a.entries_[i];
        const auto& [kb, vb] = b.entries_[i];
        if (ka != kb) break;
        if (!(va == vb)) return false;
    }
    if (i == a.size()) return true;
    std::unordered_map<std::string_view, const value*> rest;
    for (std::size_t j = i; j < b.size(); ++j) rest.emplace(b.entries_[j].first, &b.entries_[j].second);
    if (rest.size() != b.size() - i) return false;  // duplicate keys: cannot match a's
    for (std::size_t j = i; j < a.size(); ++j) {
        auto it = rest.find(a.entries_[j].first);
        if (it == rest.end() || !(a.entries_[j].second == *it->second)) return false;
        rest.erase(it);
    }
    return true;
}

// ---- value -----------------------------------------------------------------

node_kind value::kind() const noexcept {
    constexpr node_kind kinds[] = {node_kind::none, node_kind::scalar, node_kind::string, node_kind::bytes,
                                   node_kind::list, node_kind::dict,   node_kind::map,    node_kind::array,
                                   node_kind::object};
    static_assert(std::size(kinds) == std::variant_size_v<storage>);
    return kinds[v_.index()];
}

namespace {

// `T` held by `v`, or a type_error naming what `v` holds instead.
template <class T, class V>
auto& checked(V& v, const value& self, std::string_view requested) {
    if (auto* p = std::get_if<T>(&v)) return *p;
    detail::fail<type_error>("stored " + self.describe() + ", requested " + std::string(requested));
}

std::string counted(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

const scalar& value::as_scalar() const { return checked<scalar>(v_, *this, "a number"); }
const std::string& value::as_string() const { return checked<std::string>(v_, *this, "string"); }
const bytes& value::as_bytes() const { return checked<bytes>(v_, *this, "bytes"); }
const list& value::as_list() const { return checked<list>(v_, *this, "list"); }
const dict& value::as_dict() const { return checked<dict>(v_, *this, "dict"); }
const map& value::as_map() const { return checked<map>(v_, *this, "map"); }
const ndarray& value::as_array() const { return checked<ndarray>(v_, *this, "array"); }
const object& value::as_object() const { return checked<object_box>(v_, *this, "object").get(); }
object& value::as_object() { return checked<object_box>(v_, *this, "object").get(); }
std::string& value::as_string() { return checked<std::string>(v_, *this, "string"); }
bytes& value::as_bytes() { return checked<bytes>(v_, *this, "bytes"); }
list& value::as_list() { return checked<list>(v_, *this, "list"); }
dict& value::as_dict() { return checked<dict>(v_, *this, "dict"); }
map& value::as_map() { return checked<map>(v_, *this, "map"); }
ndarray& value::as_array() { return checked<ndarray>(v_, *this, "array"); }

void value::throw_narrowing(std::string_view requested) const {
    detail::fail<type_error>("stored " + describe() + ", requested " + std::string(requested) +
                             " (only conversions that lose nothing are allowed)");
}

const value& value::operator[](std::string_view key) const {
    if (is_object()) {
        const auto& o = as_object();
        if (!o.state.is_dict())
            throw std::out_of_range("key '" + std::string(key) + "' on a " + o.class_name() + " object whose state is not a dict");
        return o.state.as_dict().at(key);
    }
    return as_dict().at(key);
}
value& value::operator[](std::string_view key) {
    return const_cast<value&>(std::as_const(*this)[key]);
}

const value& value::operator[](std::size_t index) const {
    const list& l = is_object() ? as_object().args : as_list();
    if (index >= l.size())
        throw std::out_of_range("list index " + std::to_string(index) + " out of range for a list of " +
                                std::to_string(l.size()));
    return l[index];
}
value& value::operator[](std::size_t index) { return const_cast<value&>(std::as_const(*this)[index]); }

std::size_t value::size() const noexcept {
    switch (kind()) {
    case node_kind::list: return std::get<list>(v_).size();
    case node_kind::dict: return std::get<dict>(v_).size();
    case node_kind::map: return std::get<map>(v_).size();
    case node_kind::object: return std::get<object_box>(v_).get().state.size();
    default: return 0;
    }
}

std::string value::describe() const {
    switch (kind()) {
    case node_kind::none: return "none";
    case node_kind::scalar: return std::string(name(std::get<scalar>(v_).type()));
    case node_kind::string: return "string";
    case node_kind::bytes: return "bytes";
    case node_kind::list: return "list of " + counted(size(), "item", "items");
    case node_kind::dict: return "dict of " + counted(size(), "entry", "entries");
    case node_kind::map: return "map of " + counted(size(), "entry", "entries");
    case node_kind::array: return std::get<ndarray>(v_).meta().describe();
    case node_kind::object: return std::get<object_box>(v_).get().class_name() + " object";
    }
    return "invalid";
}

bool operator==(const value& a, const value& b) { return a.v_ == b.v_; }

}  // namespace brine
