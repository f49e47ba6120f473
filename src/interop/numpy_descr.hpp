// numpy's dtype strings ("<f8", "|b1", "O8"), shared by the .npy header, the
// pickled numpy.dtype of joblib files, and the writers of both. One place
// decides which numpy dtypes brine understands.
#pragma once

#include <brine/model/array_meta.hpp>
#include <brine/model/dtype.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace brine::interop {

struct numpy_descr {
    // nullopt: numpy's object dtype ('O'), which has no brine dtype.
    std::optional<brine::dtype> type;
    byte_order order = native_byte_order;
    datetime_unit unit{};  // datetime64 / timedelta64 ("M8[ns]")
    std::uint32_t width = 1;  // bytes / str: characters per element ("U5"); record: bytes ("V16")
    std::vector<record_field> fields;  // record: its layout (from a list descr or a pickled dtype's state)
    // A sub-array dtype (numpy's ('<f8', (2, 3))), which only a record's
    // field may have: the shape; the rest of this descr is its element.
    std::vector<std::uint64_t> subarray;

    // The element type of a dtype brine has (type is set; callers check).
    brine::element_type element() const { return {type.value(), order, unit, width, fields}; }

    // A contiguous array of this dtype (type must be set).
    array_meta meta(std::vector<std::uint64_t> shape, memory_order layout) const;
};

// Parses "<f8", ">i4", "|u1", "=c16", "f8", "b1", "O8", "|O", "<M8[ns]",
// "m8[15m]", "M8" (generic unit), "|S5", "<U2" (also "a5", an old name of
// S). A missing or '|' / '=' order means native.
// nullopt for anything else (strings, records...), which callers report
// with the text itself.
std::optional<numpy_descr> parse_numpy_descr(std::string_view text);

// "f8", "i4", "b1", "c16", "M8": what numpy.dtype() is called with in a
// pickle (a time unit goes in the dtype's state).
// "S5", "U2" for strings of `width` characters.
std::string numpy_type_code(brine::dtype t, std::uint32_t width = 1);
// '<' or '>' for multi-byte types, '|' for one-byte types (numpy's habit).
char numpy_order_char(brine::dtype t, byte_order order);
// "<f8", "|u1", "<M8[ns]", "<U2": the descr of a .npy header. A record is
// numpy's list descr, "[('x', '<i4'), ('', '|V4'), ('y', '<f8', (2,))]"
// (or "|V16" without fields); throws unsupported_error for overlapping
// fields, which a list descr cannot say.
std::string numpy_descr_text(const element_type& t);
std::string numpy_descr_text(const array_meta& meta);
std::string numpy_descr_text(const numpy_descr& d);

}  // namespace brine::interop
