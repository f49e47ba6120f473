#include "interop/joblib_companions.hpp"

#include "codec/opened_input.hpp"
#include "interop/allowed_globals.hpp"

#include <brine/error.hpp>
#include <brine/interop/npy.hpp>

#include <string>

namespace brine::interop {
namespace {

const py_object& state_field(const py_object& state, std::string_view key, py_kind kind, const input_cursor& in) {
    const auto* v = dict_get(state, key);
    if (!v || v->kind != kind)
        in.fail("a joblib < 0.10 array wrapper whose state has no " + std::string(key) + " of type " + kind_name(kind));
    return *v;
}

std::filesystem::path companion_path(const py_object& state, const companion_files& files, const input_cursor& in) {
    const std::string& name = state_field(state, "filename", py_kind::str, in).text;
    if (name.empty() || name.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos ||
        name.find("..") != std::string::npos || std::filesystem::path(name).is_absolute())
        in.fail<format_error>("refusing joblib < 0.10 companion file name '" + name +
                              "': companions are opened only in the pickle's own directory "
                              "(no '/', '\\', '..' or absolute names)");
    if (!files.directory)
        in.fail<unsupported_error>("the array is in joblib < 0.10 companion file '" + name +
                                   "', which is read only when the pickle is loaded from a path");
    return *files.directory / name;
}

// NDArrayWrapper: numpy.load of the .npy, memory-mapped when the load asks
// for it and the wrapper allows it; in native byte order when read in.
void read_npy_companion(py_object& wrapper, const companion_files& files, const input_cursor& in) {
    const auto path = companion_path(*wrapper.state, files, in);
    load_options options = *files.options;
    if (const auto* allow = dict_get(*wrapper.state, "allow_mmap");
        allow && allow->kind == py_kind::boolean && !allow->number.as<bool>())
        options.mmap = mmap_mode::none;
    auto a = npy::load(path, options);
    wrapper.array = a.mapped() ? std::move(a) : a.to_native();
    wrapper.kind = py_kind::ndarray;
}

// The whole decoded content of a Z-file, grown as bytes arrive: nothing is
// reserved on the header's or the pickle's word.
std::string read_zfile(const std::filesystem::path& path, const load_options& base) {
    load_options options = base;
    options.mmap = mmap_mode::none;
    codec::opened_input file(path, options, {.read_small_files = false});
    if (file.codec() != codec_id::zlib)
        throw format_error({path.string(), 0}, "a joblib < 0.10 companion .z file must be a Z-file (\"ZF\" and a zlib stream)");
    std::string bytes;
    constexpr std::size_t step = 1 << 20;
    for (;;) {
        const std::size_t old = bytes.size();
        if (base.max_bytes && old > base.max_bytes)
            throw limit_error({path.string(), std::nullopt}, "companion file holds more than load_options::max_bytes (" +
                                                                  std::to_string(base.max_bytes) + " bytes)");
        bytes.resize(old + step);
        const std::size_t got = file.source().read(std::as_writable_bytes(std::span(bytes)).subspan(old));
        bytes.resize(old + got);
        if (got < step) return bytes;
    }
}

// ZNDArrayWrapper: numpy's _reconstruct(*init_args), then its state with
// the Z-file's bytes appended, as numpy's own array pickle does it.
void read_zfile_companion(py_object& wrapper, py_arena& arena, const companion_files& files, const input_cursor& in) {
    const auto& state = *wrapper.state;
    const auto path = companion_path(state, files, in);
    const auto& init_args = state_field(state, "init_args", py_kind::tuple, in);
    const auto& array_state = state_field(state, "state", py_kind::tuple, in);
    if (array_state.items.size() != 4 && array_state.items.size() != 3)
        in.fail("a ZNDArrayWrapper's array state must be (version, shape, dtype, is_fortran), without the data");
    auto& data = arena.make(py_kind::bytes);
    data.text = read_zfile(path, *files.options);
    auto& full_state = arena.make(py_kind::tuple);
    full_state.items = array_state.items;
    full_state.items.push_back(&data);
    auto& array = call_global(arena, allowed_global::numpy_reconstruct, init_args, in);
    const auto& dtype_item = *full_state.items[full_state.items.size() - 3];
    if (dtype_item.kind == py_kind::object) {
        keep_as_reconstruct_object(wrapper, const_cast<py_object*>(&init_args), &full_state);  // a dtype brine has no type for
        return;
    }
    build(array, full_state, in);
    wrapper = array;
    if (wrapper.kind == py_kind::ndarray) wrapper.array = wrapper.array.to_native();  // as joblib returns it
}

}  // namespace

void read_companion(py_object& wrapper, py_arena& arena, const companion_files& files, const input_cursor& in) {
    if (wrapper.global == allowed_global::joblib_companion_zarray) read_zfile_companion(wrapper, arena, files, in);
    else read_npy_companion(wrapper, files, in);
}

}  // namespace brine::interop
