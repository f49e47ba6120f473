// The objects a pickle builds, before they become a brine::value. Python has
// reference semantics (the memo shares objects; a list can be appended to
// after it was memoized, or even contain itself), so objects live in an arena
// and refer to each other by pointer: sharing and cycles are free, and
// destruction is flat however deep the nesting.
#pragma once

#include "interop/numpy_descr.hpp"

#include <brine/model/node_kind.hpp>
#include <brine/model/scalar.hpp>
#include <brine/value/ndarray.hpp>

#include <cstdint>
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace brine::interop {

// The globals a pickle may name (interop/allowed_globals.hpp). Everything
// else is refused before anything is built.
enum class allowed_global : std::uint8_t {
    builtins_complex, builtins_set, builtins_frozenset, builtins_bytearray,
    ordered_dict,
    codecs_encode,
    numpy_reconstruct,  // numpy.core.multiarray._reconstruct
    numpy_ndarray,      // numpy.ndarray and the subclasses joblib records (memmap, matrix)
    numpy_dtype,
    numpy_scalar,       // numpy.core.multiarray.scalar
    numpy_frombuffer,   // numpy.core.numeric._frombuffer (protocol 5)
    joblib_array_wrapper,
    joblib_companion_array,   // joblib < 0.10 NDArrayWrapper: the array is a .npy file beside the pickle
    joblib_companion_zarray,  // joblib < 0.10 ZNDArrayWrapper: its raw bytes are a .npy.z Z-file beside it
    datetime_datetime, datetime_date, datetime_time, datetime_timedelta,  // interop/python_datetime.hpp
    other,              // not a known data type: instances become object nodes
};

enum class py_kind : std::uint8_t {
    none, boolean, integer, floating, complex, str, bytes, bytearray,
    tuple, list, dict, set, frozenset,
    global,          // a class or function named by GLOBAL / STACK_GLOBAL
    ndarray,         // a numeric numpy array
    object_array,    // a numpy array of dtype object: `items` in C order, `shape`
    pending_array,   // numpy.core.multiarray._reconstruct(...) before its BUILD
    dtype,           // numpy.dtype
    array_wrapper,   // joblib's NumpyArrayWrapper before its data is read
    companion_wrapper,  // joblib < 0.10's (Z)NDArrayWrapper before its companion file is read; `global` says which
    object,          // an instance of an `other` global, kept as data (brine::object)
};

struct py_object {
    py_kind kind = py_kind::none;
    scalar number;                         // boolean, integer, floating, complex
    std::string text;                      // str (UTF-8), bytes and bytearray (raw)
    std::vector<py_object*> items;         // tuple, list, set, frozenset, object_array;
                                           // dict: key, value, key, value... (OrderedDict too)
    allowed_global global{};               // global: which one
    ndarray array;                         // ndarray
    std::vector<std::uint64_t> shape;      // object_array
    numpy_descr descr;                     // dtype
    py_object* state = nullptr;            // array_wrapper, companion_wrapper, object, dtype: what BUILD set
    // global, object: the name as the pickle spells it, and where it was named.
    std::string module, qualname;
    std::uint64_t offset = 0;
    // object: how it was built and from what; dtype: its constructor args
    // (to write a dtype inside an object back as numpy pickles it).
    build_kind build = build_kind::reduce;
    py_object* args = nullptr;             // a tuple
    py_object* kwargs = nullptr;           // a dict (NEWOBJ_EX)
    std::vector<py_object*> dict_items;    // object: SETITEM(S) key, value, key, value...
                                           // (`items` holds its APPEND(S))
};

const char* kind_name(py_kind k) noexcept;

// Owns every object of one unpickling; pointers stay valid while it lives.
// Objects come in blocks that double up to 4096 objects: a pickle of
// millions of small objects (an object column of strings) costs a few
// hundred allocations, a small pickle a few small ones.
class py_arena {
public:
    py_object& make(py_kind k) {
        if (used_ == capacity_) {
            capacity_ = std::min<std::size_t>(capacity_ ? capacity_ * 2 : 16, 4096);
            blocks_.push_back(std::make_unique<py_object[]>(capacity_));
            used_ = 0;
        }
        auto& o = blocks_.back()[used_++];
        ++size_;
        o.kind = k;
        return o;
    }
    std::size_t size() const noexcept { return size_; }

private:
    std::vector<std::unique_ptr<py_object[]>> blocks_;
    std::size_t capacity_ = 0, used_ = 0, size_ = 0;
};

}  // namespace brine::interop
