// The fields of a record dtype (numpy's structured dtypes): a name, a byte
// offset inside the element, an element type and a sub-array shape per
// field. Element types nest: a field may be a record itself.
//
// numpy's rules, which every reader of a layout checks (record_layout_problem):
// names are unique and not empty, and every field lies inside its element.
// Fields may overlap (numpy allows it) and need not be in offset order; bytes
// no field covers are padding.
#pragma once

#include <brine/model/dtype.hpp>
#include <brine/model/time_unit.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brine {

struct record_field;

// What one element of a field is: the per-dtype parameters of array_meta
// without a shape. Strides never apply inside a record.
struct element_type {
    brine::dtype dtype = dtype::float64;
    byte_order order = native_byte_order;  // of this field's numbers; records have none of their own
    datetime_unit unit{};                  // datetime64 and timedelta64
    std::uint32_t width = 1;               // bytes and str: characters; record: bytes per element
    std::vector<record_field> fields;      // record only

    // Bytes of one element.
    std::uint64_t itemsize() const noexcept;
    // "int32", ">f8", "datetime64[ns]", "str[3]", "{x: int32 @0, y: float64[2] @8} (24 bytes)".
    std::string text() const;
    friend bool operator==(const element_type&, const element_type&);
};

struct record_field {
    std::string name;           // UTF-8
    std::uint64_t offset = 0;   // bytes from the start of the element
    element_type type;
    std::vector<std::uint64_t> shape;  // a sub-array field (numpy's ('<f8', (2, 3))); empty for one element

    // Elements of `type` in the field (product of shape, 1 when empty).
    std::uint64_t count() const noexcept;
    // Bytes the field covers: count() * type.itemsize(), saturated.
    std::uint64_t nbytes() const noexcept;
    friend bool operator==(const record_field&, const record_field&) = default;
};

// Limits the readers hold every layout to (numpy has none; these bound a
// hostile header). Nesting counts record levels; fields counts all levels.
inline constexpr std::size_t max_record_depth = 32;
inline constexpr std::size_t max_record_fields = 4096;
inline constexpr std::size_t max_field_name = 1024;
// Largest element of a record dtype: numpy's (a C int). The smallest is 1
// byte: numpy's empty records (itemsize 0) are not stored, as an array of
// them could claim any number of elements in no bytes.
inline constexpr std::uint64_t max_record_itemsize = 0x7FFFFFFF;

// What is wrong with the fields of a record of `itemsize` bytes, or nullopt
// when numpy's rules and the limits above hold. Checks nested records too.
std::optional<std::string> record_layout_problem(const std::vector<record_field>& fields, std::uint64_t itemsize);

// The field named `name`, or null.
const record_field* find_field(const std::vector<record_field>& fields, std::string_view name) noexcept;

// Does any number of `t` (a record's fields, at any depth) have the byte
// order opposite to this machine's?
bool has_foreign_byte_order(const element_type& t) noexcept;
// `t` with every byte order native: what to_native gives.
element_type with_native_byte_order(element_type t);
// Swaps, in place, the numbers of one element `bytes` of `t` that are not
// in native byte order. Fields must not overlap (no_overlapping_fields).
void swap_to_native(std::span<std::byte> bytes, const element_type& t) noexcept;
// True when no two fields of `t`, at any depth, share a byte.
bool no_overlapping_fields(const element_type& t);

}  // namespace brine
