// Record layouts: sizes, numpy's rules and the limits, descriptions.
#include <brine/model/record_layout.hpp>
#include <brine/model/array_meta.hpp>

#include <algorithm>
#include <limits>
#include <utility>

namespace brine {

namespace {

constexpr std::uint64_t saturated = std::numeric_limits<std::uint64_t>::max();

std::optional<std::uint64_t> checked_count(const std::vector<std::uint64_t>& shape) {
    std::uint64_t n = 1;
    for (const auto d : shape)
        if (__builtin_mul_overflow(n, d, &n)) return std::nullopt;
    return n;
}

struct layout_checker {
    std::size_t fields_seen = 0;

    std::optional<std::string> check(const std::vector<record_field>& fields, std::uint64_t itemsize, std::size_t depth) {
        if (depth > max_record_depth) return "records nested deeper than " + std::to_string(max_record_depth);
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const auto& f = fields[i];
            if (++fields_seen > max_record_fields) return "more than " + std::to_string(max_record_fields) + " record fields";
            const auto who = "field '" + f.name + "'";
            if (f.name.empty()) return std::string("a record field without a name");
            if (f.name.size() > max_field_name) return "a record field name of " + std::to_string(f.name.size()) + " bytes, above " + std::to_string(max_field_name);
            for (std::size_t j = 0; j < i; ++j)
                if (fields[j].name == f.name) return "two record fields named '" + f.name + "'";
            if (auto p = check_type(f.type, depth)) return who + ": " + *p;
            if (f.shape.size() > max_rank) return who + ": sub-array rank " + std::to_string(f.shape.size()) + " above " + std::to_string(max_rank);
            const auto count = checked_count(f.shape);
            std::uint64_t bytes = 0;
            if (!count || __builtin_mul_overflow(*count, f.type.itemsize(), &bytes))
                return who + ": sub-array shape " + shape_text(f.shape) + " overflows 64 bits";
            std::uint64_t end = 0;
            if (__builtin_add_overflow(f.offset, bytes, &end) || end > itemsize)
                return who + " of " + std::to_string(bytes) + " bytes at offset " + std::to_string(f.offset) +
                       " ends past the record's " + std::to_string(itemsize) + " bytes";
        }
        return std::nullopt;
    }

    std::optional<std::string> check_type(const element_type& t, std::size_t depth) {
        if (!is_valid(t.dtype)) return "unknown dtype code " + std::to_string(static_cast<unsigned>(t.dtype));
        if (!has_time_unit(t.dtype) && t.unit != datetime_unit{}) return std::string("a time unit on a dtype without one");
        if (has_width(t.dtype) && (t.width == 0 || t.itemsize() > max_string_itemsize))
            return "string width " + std::to_string(t.width) + " outside 1 to " + std::to_string(max_string_itemsize / itemsize(t.dtype));
        if (is_record(t.dtype)) {
            if (t.width == 0 || t.width > max_record_itemsize) return "a record of " + std::to_string(t.width) + " bytes";
            return check(t.fields, t.width, depth + 1);
        }
        if (!is_sized(t.dtype) && t.width != 1) return std::string("a width on a dtype without one");
        if (!t.fields.empty()) return std::string("fields on a dtype that is not a record");
        return std::nullopt;
    }
};

}  // namespace

std::uint64_t element_type::itemsize() const noexcept {
    return is_valid(dtype) ? brine::itemsize(dtype) * (is_sized(dtype) ? width : 1) : 0;
}

std::string element_type::text() const {
    if (!is_valid(dtype) || !is_record(dtype)) {
        array_meta m;
        m.dtype = dtype;
        m.unit = unit;
        m.width = width;
        std::string s;
        if (is_valid(dtype) && itemsize() > 1 && !has_width(dtype) && order != native_byte_order)
            s = order == byte_order::big ? ">" : "<";
        return s + m.dtype_text();
    }
    std::string s = "record[";
    s += std::to_string(width);
    s += "]{";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& f = fields[i];
        if (i) s += ", ";
        s += f.name;
        s += ": ";
        s += f.type.text();
        if (!f.shape.empty()) s += shape_text(f.shape);
        s += " @";
        s += std::to_string(f.offset);
    }
    return s + "}";
}

bool operator==(const element_type& a, const element_type& b) {
    return a.dtype == b.dtype && a.order == b.order && a.unit == b.unit && a.width == b.width && a.fields == b.fields;
}

std::uint64_t record_field::count() const noexcept { return checked_count(shape).value_or(saturated); }

std::uint64_t record_field::nbytes() const noexcept {
    std::uint64_t n = 0;
    return __builtin_mul_overflow(count(), type.itemsize(), &n) ? saturated : n;
}

std::optional<std::string> record_layout_problem(const std::vector<record_field>& fields, std::uint64_t itemsize) {
    // At least a byte: elements of no bytes would let a tiny file declare
    // any number of them.
    if (itemsize == 0 || itemsize > max_record_itemsize)
        return "a record of " + std::to_string(itemsize) + " bytes, expected 1 to " + std::to_string(max_record_itemsize);
    return layout_checker{}.check(fields, itemsize, 1);
}

const record_field* find_field(const std::vector<record_field>& fields, std::string_view name) noexcept {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

bool has_foreign_byte_order(const element_type& t) noexcept {
    if (!is_record(t.dtype)) return is_valid(t.dtype) && itemsize(t.dtype) > 1 && t.order != native_byte_order;
    for (const auto& f : t.fields)
        if (has_foreign_byte_order(f.type)) return true;
    return false;
}

element_type with_native_byte_order(element_type t) {
    t.order = native_byte_order;
    for (auto& f : t.fields) f.type = with_native_byte_order(std::move(f.type));
    return t;
}

void swap_to_native(std::span<std::byte> bytes, const element_type& t) noexcept {
    if (!is_record(t.dtype)) {
        if (itemsize(t.dtype) > 1 && t.order != native_byte_order) swap_byte_order(bytes, t.dtype);
        return;
    }
    for (const auto& f : t.fields) {
        const auto item = static_cast<std::size_t>(f.type.itemsize());
        for (std::uint64_t i = 0, n = f.count(); i < n; ++i)
            swap_to_native(bytes.subspan(static_cast<std::size_t>(f.offset + i * item), item), f.type);
    }
}

bool no_overlapping_fields(const element_type& t) {
    if (!is_record(t.dtype)) return true;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
    for (const auto& f : t.fields) {
        if (!no_overlapping_fields(f.type)) return false;
        spans.emplace_back(f.offset, f.offset + f.nbytes());
    }
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i)
        if (spans[i].first < spans[i - 1].second) return false;
    return true;
}

}  // namespace brine
