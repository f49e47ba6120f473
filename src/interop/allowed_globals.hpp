// The allowlist: the only globals a pickle may name, and what calling,
// instantiating or BUILDing them means. Nothing here runs Python code; each
// allowed global is re-implemented as data construction, and every other
// name is refused with a brine::error naming module.qualname.
#pragma once

#include "interop/input_cursor.hpp"
#include "interop/python_object.hpp"

#include <string>
#include <string_view>

namespace brine::interop {

// Throws brine::unsupported_error naming `module.name` unless it is allowed.
// Accepts Python 2 spellings (__builtin__, copy_reg) and numpy 2's numpy._core.
allowed_global resolve_global(std::string_view module, std::string_view name, const input_cursor& at);
// The allowlist's spelling of `g`: its module and qualified name.
struct global_spelling {
    std::string_view module, qualname;
};
global_spelling spelling_of(allowed_global g);
std::string global_name(allowed_global g);  // "module.qualname"
// Throws today's refusal of a global outside the allowlist (load_options::allow_objects false).
[[noreturn]] void refuse_object(std::string_view module, std::string_view name, const location& where);

// REDUCE: `callable(*args)`.
py_object& call_global(py_arena& arena, allowed_global callable, const py_object& args, const input_cursor& at);
// NEWOBJ: `cls.__new__(cls, *args)`.
py_object& new_instance(py_arena& arena, allowed_global cls, const py_object& args, const input_cursor& at);
// BUILD: `obj.__setstate__(state)`.
void build(py_object& obj, py_object& state, const input_cursor& at);

// Makes `o` the object node numpy.core.multiarray._reconstruct(*args) with
// BUILD `state` (nullptr: BUILD sets it later): numpy's own pickle of an
// array, which is how an array of a dtype brine has no type for is kept.
void keep_as_reconstruct_object(py_object& o, py_object* args, py_object* state);

// Helpers shared with the joblib wrapper: checked reads of pickled values.
std::uint64_t as_count(const py_object& o, std::string_view what, const input_cursor& at);
std::vector<std::uint64_t> as_shape(const py_object& o, const input_cursor& at);
// A dict's value under a str key, or nullptr.
py_object* dict_get(const py_object& dict, std::string_view key);

}  // namespace brine::interop
