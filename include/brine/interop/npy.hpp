// numpy's own files: .npy (one array) and .npz (a zip of .npy members).
//
//   brine::ndarray a = brine::npy::load("w.npy", {.mmap = brine::mmap_mode::read_only});  // zero-copy
//   brine::value   z = brine::npz::load("arrays.npz");     // dict: member name -> ndarray
//   brine::npz::dump(z, "copy.npz", {.compress = true});
//
// Arrays read into memory come back in native byte order; mapped arrays
// keep the file's. Mapping is zero-copy when the data sits at a multiple of
// the element size in the file (always for numpy's and brine's files, whose
// headers pad the data to 64 bytes); otherwise the array is copied.
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>
#include <brine/options.hpp>
#include <brine/value/value.hpp>

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <span>

namespace brine::npy {

// .npy versions 1.0, 2.0 and 3.0; dtypes bool, int8-64, uint8-64,
// float16-64, complex64/128, either byte order, C or Fortran order.
ndarray load(const std::filesystem::path& file, const load_options& options = {});
ndarray load(std::istream& in, const load_options& options = {});
// The reader itself (fuzz target); with options.mmap set and a memory or
// mapped source, the array borrows the source's bytes.
ndarray load(io::source& in, const load_options& options = {});

// Writes version 1.0 (2.0 for very long headers), data 64-aligned. Atomic.
void dump(const ndarray& a, const std::filesystem::path& file);
void dump(const ndarray& a, std::ostream& out);
void dump(const ndarray& a, io::sink& out);  // finishes `out`

}  // namespace brine::npy

namespace brine::npz {

// A dict of member name (without ".npy") -> ndarray; members that are not
// .npy files come back as bytes. Stored and deflated members, zip64. CRC-32s
// are checked (options.verify_checksums), except for members mapped with
// options.mmap, which stay unread until used.
value load(const std::filesystem::path& file, const load_options& options = {});
value load(std::istream& in, const load_options& options = {});
// The reader itself over a whole zip file in memory (fuzz target). With
// options.mmap, stored members borrow `zip.owner`'s bytes.
value load(const io::mapped_bytes& zip, const std::string& name, const load_options& options = {});

struct dump_options {
    bool compress = false;   // deflate members (np.savez_compressed) instead of storing them
    std::optional<int> level{};  // deflate level when compressing; nullopt: 6, numpy's (zlib's default)
    // Write zip64 records even for small archives (they are written anyway
    // past 4 GiB or 65535 members); for tests and for readers that want them.
    bool force_zip64 = false;
    // age encryption around the whole archive ("arrays.npz.age").
    std::vector<std::string> recipients{};
    std::string passphrase{};
};

// `arrays` is a dict of name -> ndarray (a value holding such a dict works
// too). Stored members are aligned so their array data starts at a multiple
// of 64 bytes in the file, ready for mmap. Atomic.
void dump(const dict& arrays, const std::filesystem::path& file, const dump_options& options = {});
void dump(const dict& arrays, std::ostream& out, const dump_options& options = {});
void dump(const dict& arrays, io::sink& out, const dump_options& options = {});  // finishes `out`

}  // namespace brine::npz
