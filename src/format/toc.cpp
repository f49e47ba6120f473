#include "format/constants.hpp"
#include "format/varint.hpp"
#include "model/byte_order.hpp"

#include <brine/format/toc.hpp>

#include <algorithm>
#include <cstring>

namespace brine::format {

namespace {

void append_varint(std::vector<std::byte>& out, std::uint64_t v) {
    std::byte tmp[v1::max_varint_bytes];
    const auto n = put_varint(tmp, v);
    out.insert(out.end(), tmp, tmp + n);
}


class cursor {
public:
    cursor(std::span<const std::byte> b, const location& where, std::uint64_t base)
        : p_(b.data()), begin_(b.data()), end_(b.data() + b.size()), where_(where), base_(base) {}
    std::uint64_t varint() {
        auto r = get_varint(p_, end_);
        if (r.length == 0) fail("table of contents ends inside a varint");
        if (r.length == varint_malformed) fail("malformed varint in table of contents");
        p_ += r.length;
        return r.value;
    }
    std::uint8_t byte() {
        if (p_ == end_) fail("table of contents ends early");
        return static_cast<std::uint8_t>(*p_++);
    }
    std::string text(std::uint64_t n) {
        if (n > static_cast<std::uint64_t>(end_ - p_)) fail("key longer than the table of contents");
        std::string s(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
        p_ += n;
        return s;
    }
    std::uint64_t left() const { return static_cast<std::uint64_t>(end_ - p_); }
    [[noreturn]] void fail(const std::string& what) const {
        throw corrupt_error({where_.file, base_ + static_cast<std::uint64_t>(p_ - begin_)}, what);
    }

private:
    const std::byte *p_, *begin_, *end_;
    const location& where_;
    std::uint64_t base_;
};

}  // namespace

void table_of_contents::encode(std::vector<std::byte>& out) const {
    append_varint(out, entries_.size());
    for (const auto& e : entries_) {
        append_varint(out, e.parent == no_parent ? 0 : std::uint64_t{e.parent} + 1);
        if (e.parent != no_parent && entries_[e.parent].kind == node_kind::dict) {
            append_varint(out, e.key.size());
            const auto* k = reinterpret_cast<const std::byte*>(e.key.data());
            out.insert(out.end(), k, k + e.key.size());
        } else if (e.parent != no_parent) {
            append_varint(out, e.ordinal);
        }
        out.push_back(static_cast<std::byte>(e.kind));
        append_varint(out, e.offset);
        append_varint(out, e.length);
    }
}

table_of_contents table_of_contents::decode(std::span<const std::byte> bytes, const location& where,
                                            std::uint64_t base, std::uint64_t stream_end) {
    cursor in(bytes, where, base);
    const auto count = in.varint();
    // Each entry takes at least 4 bytes: no allocation on the count's word alone.
    if (count == 0 || count > in.left() / 4 + 1) in.fail("implausible table of contents entry count " + std::to_string(count));
    table_of_contents toc;
    toc.entries_.reserve(static_cast<std::size_t>(count));
    for (std::uint64_t i = 0; i < count; ++i) {
        toc_entry e;
        const auto parent = in.varint();
        if (i == 0 ? parent != 0 : (parent == 0 || parent > i)) in.fail("table of contents entry " + std::to_string(i) + " has an invalid parent");
        if (parent) {
            e.parent = static_cast<std::uint32_t>(parent - 1);
            const auto& p = toc.entries_[e.parent];
            if (!is_container(p.kind)) in.fail("table of contents entry " + std::to_string(i) + " has a parent that is not a container");
            if (p.kind == node_kind::dict) e.key = in.text(in.varint());
            else e.ordinal = in.varint();
        }
        const auto tag = in.byte();
        const auto kind = node_kind_from_tag(tag);
        if (!kind) in.fail("table of contents entry " + std::to_string(i) + " has unknown kind " + std::to_string(tag));
        e.kind = *kind;
        e.offset = in.varint();
        e.length = in.varint();
        const std::uint64_t lo = parent ? toc.entries_[e.parent].offset : v1::header_size;
        const std::uint64_t hi = parent ? toc.entries_[e.parent].offset + toc.entries_[e.parent].length : stream_end;
        const std::uint64_t prev = i ? toc.entries_.back().offset : 0;
        if (e.length == 0 || e.offset < lo || e.offset > hi || e.length > hi - e.offset || (i && e.offset <= prev))
            in.fail("table of contents entry " + std::to_string(i) + " points outside its parent");
        toc.entries_.push_back(std::move(e));
    }
    if (in.left()) in.fail("unexpected bytes after the table of contents");
    return toc;
}

std::optional<std::uint32_t> table_of_contents::child(std::uint32_t parent, std::string_view key) const {
    for (std::uint32_t i = parent + 1; i < entries_.size(); ++i)
        if (entries_[i].parent == parent && entries_[i].key == key) return i;
    return std::nullopt;
}

std::optional<std::uint32_t> table_of_contents::child(std::uint32_t parent, std::uint64_t ordinal) const {
    for (std::uint32_t i = parent + 1; i < entries_.size(); ++i)
        if (entries_[i].parent == parent && entries_[i].ordinal == ordinal) return i;
    return std::nullopt;
}

}  // namespace brine::format
