// brine::value: the dynamic tree. What brine::load(path) returns without a
// type, what the joblib/npy readers produce, and what tools walk and print.
#pragma once

#include <brine/model/node_kind.hpp>
#include <brine/model/scalar.hpp>
#include <brine/value/ndarray.hpp>

#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace brine {

class value;
struct object;

// Holds an object node behind one pointer (value stays small), copied deeply.
class object_box {
public:
    explicit object_box(object o);
    object_box(const object_box& other);
    object_box(object_box&&) noexcept = default;
    object_box& operator=(const object_box& other);
    object_box& operator=(object_box&&) noexcept = default;
    ~object_box();
    object& get() noexcept { return *p_; }
    const object& get() const noexcept { return *p_; }
    friend bool operator==(const object_box& a, const object_box& b);

private:
    std::unique_ptr<object> p_;
};

using bytes = std::vector<std::byte>;
using list = std::vector<value>;

// String-keyed, insertion-ordered (like a Python dict). Structs load as dicts.
class dict {
public:
    using entry = std::pair<std::string, value>;
    dict() = default;
    dict(std::initializer_list<entry> entries);

    value* find(std::string_view key) noexcept;
    const value* find(std::string_view key) const noexcept;
    bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
    // Inserts none under a missing key, like std::map.
    value& operator[](std::string_view key);
    // Throws std::out_of_range naming the key.
    const value& at(std::string_view key) const;
    // Appends, or replaces the value of an existing key (keeping its position).
    value& insert(std::string key, value v);

    // Defined after class value: entries need value to be complete.
    using iterator = std::vector<entry>::iterator;
    using const_iterator = std::vector<entry>::const_iterator;
    std::size_t size() const noexcept;
    bool empty() const noexcept;
    void reserve(std::size_t n);
    iterator begin() noexcept;
    iterator end() noexcept;
    const_iterator begin() const noexcept;
    const_iterator end() const noexcept;
    // Appends without the duplicate check (loaders whose input has unique keys).
    void push_back(entry e);
    // The same, returning the new entry's value to be filled in place.
    value& emplace_back(std::string key);

    friend bool operator==(const dict& a, const dict& b);

private:
    std::vector<entry> entries_;
};

// Any-keyed map, for C++ maps whose keys are not strings. Insertion-ordered.
using map = std::vector<std::pair<value, value>>;

struct none_t {
    friend constexpr bool operator==(none_t, none_t) noexcept { return true; }
};
inline constexpr none_t none{};

class value {
public:
    using storage = std::variant<none_t, scalar, std::string, bytes, list, dict, map, ndarray, object_box>;

    value() noexcept = default;
    value(none_t) noexcept {}
    value(scalar s) : v_(s) {}
    template <element T> value(T x) : v_(scalar(x)) {}
    value(std::string s) : v_(std::move(s)) {}
    value(std::string_view s) : v_(std::string(s)) {}
    value(const char* s) : v_(std::string(s)) {}
    value(bytes b) : v_(std::move(b)) {}
    value(list l) : v_(std::move(l)) {}
    value(dict d) : v_(std::move(d)) {}
    value(map m) : v_(std::move(m)) {}
    value(ndarray a) : v_(std::move(a)) {}
    value(object o);

    node_kind kind() const noexcept;
    bool is_none() const noexcept { return std::holds_alternative<none_t>(v_); }
    bool is_scalar() const noexcept { return std::holds_alternative<scalar>(v_); }
    bool is_string() const noexcept { return std::holds_alternative<std::string>(v_); }
    bool is_bytes() const noexcept { return std::holds_alternative<bytes>(v_); }
    bool is_list() const noexcept { return std::holds_alternative<list>(v_); }
    bool is_dict() const noexcept { return std::holds_alternative<dict>(v_); }
    bool is_map() const noexcept { return std::holds_alternative<map>(v_); }
    bool is_array() const noexcept { return std::holds_alternative<ndarray>(v_); }
    // A list that Python wrote as a tuple (format 1.1, tag 0x09). It is a list
    // to C++ (kind(), as_list(), equality); the flag only picks the record tag
    // when saved, so a Python tuple comes back a tuple.
    static value tuple(list items) {
        value v(std::move(items));
        v.python_flavor_ = true;
        return v;
    }
    bool is_tuple() const noexcept { return python_flavor_ && is_list(); }
    // Bytes that Python wrote as a bytearray (format 1.3, tag 0x0B): bytes to
    // C++ in every way, the flag picks the record tag, as for tuples.
    static value bytearray(bytes b) {
        value v(std::move(b));
        v.python_flavor_ = true;
        return v;
    }
    bool is_bytearray() const noexcept { return python_flavor_ && is_bytes(); }
    bool is_object() const noexcept { return std::holds_alternative<object_box>(v_); }

    // Checked access: throw brine::type_error naming both kinds on mismatch.
    const scalar& as_scalar() const;
    const std::string& as_string() const;
    const bytes& as_bytes() const;
    const list& as_list() const;
    const dict& as_dict() const;
    const map& as_map() const;
    const ndarray& as_array() const;
    const object& as_object() const;
    object& as_object();
    std::string& as_string();
    bytes& as_bytes();
    list& as_list();
    dict& as_dict();
    map& as_map();
    ndarray& as_array();

    // A number under the lossless rule of scalar.hpp; throws brine::type_error.
    template <element T> T as() const {
        if (auto r = as_scalar().get<T>()) return *r;
        throw_narrowing(name(dtype_of<T>));
    }

    // Dict key / list index. Throw std::out_of_range when missing. On an
    // object node, a key reaches into its state dict and an index into its
    // args (a tuple stand-in's items are at [0][i]).
    const value& operator[](std::string_view key) const;
    value& operator[](std::string_view key);
    const value& operator[](std::size_t index) const;
    value& operator[](std::size_t index);
    template <std::size_t N> const value& operator[](const char (&key)[N]) const { return (*this)[std::string_view(key)]; }
    template <std::size_t N> value& operator[](const char (&key)[N]) { return (*this)[std::string_view(key)]; }
    // Children of a list, dict, map (object: its state's); elements of an array's first axis are not counted.
    std::size_t size() const noexcept;

    const storage& variant() const noexcept { return v_; }
    storage& variant() noexcept { return v_; }

    // Structural equality: same kinds, same dtypes, same contents. NaN equals
    // NaN here, so a loaded value compares equal to what was dumped.
    friend bool operator==(const value& a, const value& b);

    // Short description for messages: "float64 array of shape (10,)",
    // "dict of 3", "string", "int32".
    std::string describe() const;

private:
    [[noreturn]] void throw_narrowing(std::string_view requested) const;
    [[no_unique_address]] storage v_;
    // Tuple for a list, bytearray for bytes. Sits in the variant's tail
    // padding ([[no_unique_address]]): value stays 48 bytes.
    bool python_flavor_ = false;
};

inline std::size_t dict::size() const noexcept { return entries_.size(); }
inline bool dict::empty() const noexcept { return entries_.empty(); }
inline void dict::reserve(std::size_t n) { entries_.reserve(n); }
inline dict::iterator dict::begin() noexcept { return entries_.begin(); }
inline dict::iterator dict::end() noexcept { return entries_.end(); }
inline dict::const_iterator dict::begin() const noexcept { return entries_.begin(); }
inline dict::const_iterator dict::end() const noexcept { return entries_.end(); }
inline void dict::push_back(entry e) { entries_.push_back(std::move(e)); }
inline value& dict::emplace_back(std::string key) { return entries_.emplace_back(std::move(key), value{}).second; }

// Python-like text: {'a': [1, 2.5, 'x'], 'w': array(float32, shape=(2, 3), [[...]])}.
// Arrays print at most `max_array_items` elements.
std::string to_string(const value& v, std::size_t max_array_items = 12);
std::ostream& operator<<(std::ostream& os, const value& v);

}  // namespace brine

#include <brine/value/object.hpp>
