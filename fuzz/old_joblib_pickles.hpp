// joblib 0.9's pickles of {"a": an array of 3 float64}, as the fuzz seed
// corpus (make_corpus.cpp) and the interop tests (test/interop) both use
// them. joblib < 0.10 put each array in a companion file beside the pickle:
#pragma once

#include <cstddef>
#include <string_view>

namespace brine::fuzz {

namespace detail {
// A literal's bytes, embedded zero bytes included.
template <std::size_t N>
constexpr std::string_view literal_bytes(const char (&literal)[N]) {
    return {literal, N - 1};
}
}  // namespace detail

// NDArrayWrapper(filename, subclass, allow_mmap): the array is the .npy
// file "s.pkl_01.npy".
inline constexpr std::string_view ndarray_wrapper_pickle = detail::literal_bytes(
    "\x80\x02}X\x01\x00\x00\x00" "a"
    "cjoblib.numpy_pickle\nNDArrayWrapper\n)\x81}(X\x08\x00\x00\x00"
    "filenameX\x0c\x00\x00\x00"
    "s.pkl_01.npyX\x08\x00\x00\x00"
    "subclasscnumpy\nndarray\nX\x0a\x00\x00\x00"
    "allow_mmap\x88ubs.");

// ZNDArrayWrapper(filename, init_args, state) with compress > 0: the raw
// bytes are the Z-file "s.pkl_01.npy.z"; init_args and state are numpy's
// own pickle of the array (here float64, shape (3,)) without its data.
inline constexpr std::string_view zndarray_wrapper_pickle = detail::literal_bytes(
    "\x80\x02}X\x01\x00\x00\x00" "a"
    "cjoblib.numpy_pickle\nZNDArrayWrapper\n)\x81}("
    "X\x08\x00\x00\x00" "filenameX\x0e\x00\x00\x00" "s.pkl_01.npy.z"
    "X\x09\x00\x00\x00" "init_argscnumpy\nndarray\nK\x00\x85U\x01" "b\x87"
    "X\x05\x00\x00\x00" "state(K\x01K\x03\x85" "cnumpy\ndtype\nX\x02\x00\x00\x00" "f8\x89\x88\x87R"
    "(K\x03X\x01\x00\x00\x00<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89t"
    "ubs.");

}  // namespace brine::fuzz
