// joblib < 0.10 kept each numpy array of a dump in a companion file beside
// the pickle (numpy_pickle_compat.py), named by a wrapper object in the
// pickle:
//   NDArrayWrapper  {filename, subclass, allow_mmap}: a .npy file;
//   ZNDArrayWrapper {filename, init_args, state}:    a Z-file (codec
//       joblib_zfile.hpp) of the array's raw bytes; init_args and state are
//       numpy's own pickle of the array without its data.
// Companions are opened only in the pickle's own directory: a name with a
// '/', '\' or "..", or an absolute one, is refused.
#pragma once

#include "interop/input_cursor.hpp"
#include "interop/python_object.hpp"

#include <brine/options.hpp>

#include <filesystem>
#include <optional>

namespace brine::interop {

struct companion_files {
    // The pickle's directory; none when it was read from a stream.
    std::optional<std::filesystem::path> directory;
    const load_options* options = nullptr;
};

// Replaces a built companion_wrapper by the array its companion file holds
// (py_kind::ndarray, or numpy's object node for a dtype brine has no type
// for). `in`: the pickle, for messages about the wrapper itself.
void read_companion(py_object& wrapper, py_arena& arena, const companion_files& files, const input_cursor& in);

}  // namespace brine::interop
