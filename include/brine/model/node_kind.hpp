// The kinds of node in a brine tree. The numeric values are also the tag
// bytes of format v1 (docs/format.md); never renumber them.
#pragma once

#include <cstdint>
#include <string_view>

namespace brine {

enum class node_kind : std::uint8_t {
    none = 0x01,
    scalar = 0x02,  // bool or number, with its dtype
    string = 0x03,  // UTF-8 text
    bytes = 0x04,   // opaque bytes
    list = 0x05,    // ordered values (also tuples, sets, pairs)
    dict = 0x06,    // string key -> value, in insertion order (also structs)
    map = 0x07,     // value key -> value, for keys that are not strings
    array = 0x08,   // n-d array: metadata, aligned payload, checksum
    object = 0x0A,  // a Python object as data: class name, how it was built, its parts (format 1.1)
};

// The switches below list every kind and have no default: the library builds
// with -Werror=switch, so a new kind must be named here to compile.
constexpr std::string_view name(node_kind k) noexcept {
    switch (k) {
    case node_kind::none: return "none";
    case node_kind::scalar: return "scalar";
    case node_kind::string: return "string";
    case node_kind::bytes: return "bytes";
    case node_kind::list: return "list";
    case node_kind::dict: return "dict";
    case node_kind::map: return "map";
    case node_kind::array: return "array";
    case node_kind::object: return "object";
    }
    return "invalid";
}

// Is `k` one of the enumerators (a value read from a file may be anything)?
constexpr bool is_valid(node_kind k) noexcept { return name(k) != "invalid"; }

constexpr bool is_container(node_kind k) noexcept {
    return k == node_kind::list || k == node_kind::dict || k == node_kind::map || k == node_kind::object;
}

// How a pickle built an object node (docs/format.md, docs/interop.md).
enum class build_kind : std::uint8_t {
    global = 0,     // the class or function itself, not called (GLOBAL / STACK_GLOBAL)
    reduce = 1,     // callable(*args)                           (REDUCE)
    newobj = 2,     // cls.__new__(cls, *args)                   (NEWOBJ)
    newobj_ex = 3,  // cls.__new__(cls, *args, **kwargs)         (NEWOBJ_EX)
    inst = 4,       // INST: module.qualname(*args), protocol 0
    obj = 5,        // OBJ: cls(*args), protocol 1
};

constexpr std::string_view name(build_kind b) noexcept {
    switch (b) {
    case build_kind::global: return "GLOBAL";
    case build_kind::reduce: return "REDUCE";
    case build_kind::newobj: return "NEWOBJ";
    case build_kind::newobj_ex: return "NEWOBJ_EX";
    case build_kind::inst: return "INST";
    case build_kind::obj: return "OBJ";
    }
    return "invalid";
}

// The five children of an object node, in order (their table-of-contents ordinals).
enum class object_part : std::uint8_t { args = 0, kwargs = 1, state = 2, items = 3, dict_items = 4 };
inline constexpr std::uint64_t object_part_count = 5;

}  // namespace brine
