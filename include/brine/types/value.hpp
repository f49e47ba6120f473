// brine::value: every kind maps onto its own record kind (none, scalar,
// string, bytes, list, dict, map, array), recursively, so any file loads as a
// value and a value saves to the same records a typed object would.
// Arrays load as brine::ndarray without conversion or copy (mapped under
// load_options::mmap; see brine/types/ndarray.hpp); non-native byte order is
// kept and honoured by ndarray's element access, printing and equality.
#pragma once

#include <brine/serialize.hpp>
#include <brine/types/common.hpp>
#include <brine/types/ndarray.hpp>
#include <brine/value/object.hpp>
#include <brine/value/value.hpp>

#include <string>
#include <utility>

namespace brine {

template <>
struct serializer<value> {
    static void save(format::writer& w, const value& v) {
        switch (v.kind()) {
        case node_kind::none: w.write_none(); return;
        case node_kind::scalar: w.write_scalar(v.as_scalar()); return;
        case node_kind::string: w.write_string(v.as_string()); return;
        case node_kind::bytes:
            if (v.is_bytearray()) w.write_bytearray(v.as_bytes());
            else w.write_bytes(v.as_bytes());
            return;
        case node_kind::list:
            if (v.is_tuple()) w.begin_tuple(v.as_list().size());
            else w.begin_list(v.as_list().size());
            for (const value& item : v.as_list()) save(w, item);
            w.end();
            return;
        case node_kind::dict:
            w.begin_dict(v.as_dict().size());
            for (const auto& [key, item] : v.as_dict()) {
                w.write_key(key);
                save(w, item);
            }
            w.end();
            return;
        case node_kind::map:
            w.begin_map(v.as_map().size());
            for (const auto& [key, item] : v.as_map()) {
                save(w, key);
                save(w, item);
            }
            w.end();
            return;
        case node_kind::array: serializer<ndarray>::save(w, v.as_array()); return;
        case node_kind::object: {
            const auto& o = v.as_object();
            w.begin_object(o.module, o.qualname, o.build, o.has_state);
            save(w, value(o.args));  // copies: children are written from values
            save(w, value(o.kwargs));
            save(w, o.state);
            save(w, value(o.items));
            save(w, value(o.dict_items));
            w.end();
            return;
        }
        }
    }

    // Recursion depth is bounded by the reader (load_options::max_depth).
    static void load(format::reader& r, value& v) {
        switch (r.peek()) {
        case node_kind::none: r.read_none(); v = none; return;
        case node_kind::scalar: v.variant().emplace<scalar>(r.read_scalar()); return;
        case node_kind::string: v = r.read_string(); return;
        case node_kind::bytes:
            if (r.peek_bytearray()) v = value::bytearray(r.read_bytes());
            else v = r.read_bytes();
            return;
        case node_kind::list: {
            list items;
            const bool tuple = r.peek_tuple();
            const auto count = r.begin_list();
            detail::reserve_at_most(r, items, count);
            for (std::uint64_t i = 0; i < count; ++i) load(r, items.emplace_back());
            r.end();
            v = tuple ? value::tuple(std::move(items)) : value(std::move(items));
            return;
        }
        case node_kind::dict: {
            dict entries;
            const auto count = r.begin_dict();
            detail::reserve_at_most(r, entries, count);
            // Keys are unique in files brine writes; a crafted file with
            // duplicates keeps them all (find() returns the first).
            for (std::uint64_t i = 0; i < count; ++i) load(r, entries.emplace_back(r.read_key()));
            r.end();
            v = std::move(entries);
            return;
        }
        case node_kind::map: {
            map entries;
            const auto count = r.begin_map();
            detail::reserve_at_most(r, entries, count);
            for (std::uint64_t i = 0; i < count; ++i) {
                auto& [key, item] = entries.emplace_back();
                load(r, key);
                load(r, item);
            }
            r.end();
            v = std::move(entries);
            return;
        }
        case node_kind::array: {
            ndarray a;
            serializer<ndarray>::load(r, a);
            v = std::move(a);
            return;
        }
        case node_kind::object: {
            if (!r.options().allow_objects) r.type_mismatch("plain data (load_options::allow_objects is false)");
            auto h = r.begin_object();
            object o(std::move(h.module), std::move(h.qualname), h.build);
            o.has_state = h.has_state;
            value part;
            load(r, part);
            o.args = std::move(part.as_list());
            load(r, part);
            o.kwargs = std::move(part.as_dict());
            load(r, o.state);
            load(r, part);
            o.items = std::move(part.as_list());
            load(r, part);
            o.dict_items = std::move(part.as_map());
            r.end();
            v = std::move(o);
            return;
        }
        }
        r.type_mismatch(type_name());  // unknown record kind (the reader rejects those first)
    }

    static std::string type_name() { return "brine::value"; }
};

}  // namespace brine
