// brine::object: a Python object recorded as data (node_kind::object). A
// pickle global that is not a known data type becomes one: its class name,
// how the pickle built it, and the parts it was built from. Nothing is ever
// imported or called; writing it back to a pickle rebuilds the same opcodes.
//
//   const auto& m = brine::joblib::load("model.joblib").as_object();
//   m.class_name();           // "sklearn.linear_model._logistic.LogisticRegression"
//   m.state["coef_"];         // the float64 array
#pragma once

#include <brine/value/value.hpp>

#include <string>

namespace brine {

struct object {
    object() = default;
    object(std::string module_name, std::string qualified_name, build_kind how)
        : module(std::move(module_name)), qualname(std::move(qualified_name)), build(how) {}

    std::string module;    // "sklearn.linear_model._logistic"
    std::string qualname;  // "LogisticRegression"
    build_kind build = build_kind::reduce;
    list args;             // positional arguments of the call (REDUCE, NEWOBJ...)
    dict kwargs;           // keyword arguments (NEWOBJ_EX)
    bool has_state = false;
    value state;           // BUILD's argument, when has_state
    list items;            // APPEND / APPENDS after creation (list subclasses)
    map dict_items;        // SETITEM / SETITEMS after creation (dict subclasses)

    std::string class_name() const { return module + "." + qualname; }
    // The tuple stand-in (see docs/interop.md): builtins.tuple(list).
    bool is_tuple() const noexcept {
        return module == "builtins" && qualname == "tuple" && build == build_kind::reduce && args.size() == 1 &&
               args[0].is_list();
    }
    friend bool operator==(const object&, const object&) = default;
};

inline object_box::object_box(object o) : p_(std::make_unique<object>(std::move(o))) {}
inline object_box::object_box(const object_box& other) : p_(other.p_ ? std::make_unique<object>(*other.p_) : nullptr) {}
inline object_box& object_box::operator=(const object_box& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<object>(*other.p_) : nullptr;
    return *this;
}
inline object_box::~object_box() = default;
inline bool operator==(const object_box& a, const object_box& b) { return a.p_ && b.p_ ? *a.p_ == *b.p_ : a.p_ == b.p_; }
inline value::value(object o) : v_(object_box(std::move(o))) {}

}  // namespace brine
