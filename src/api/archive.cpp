#include "codec/opened_input.hpp"
#include "format/constants.hpp"
#include "format/trailer.hpp"
#include "io/random_access.hpp"

#include <brine/api/archive.hpp>
#include <brine/model/value_path.hpp>
#include <brine/types/value.hpp>

#include <unordered_map>

namespace brine {

namespace detail {

struct archive_state {
    std::string name;
    load_options options;
    codec_id codec = codec_id::none;
    std::unique_ptr<io::random_access> input;
    format::table_of_contents toc;
    std::unordered_map<std::uint64_t, std::uint32_t> by_offset;
    std::unordered_map<std::string, std::uint32_t> by_key;  // "<parent>\0<key or #ordinal>"

    // Skips the value the reader stands on: by its recorded length when the
    // table of contents indexes it, else by parsing (small values only).
    void skip_child(format::reader& r) const {
        if (auto it = by_offset.find(r.offset()); it != by_offset.end()) r.skip_value(toc.entries()[it->second].length);
        else r.skip_value();
    }

    static std::string key_of(std::uint32_t parent, const std::variant<std::string, std::uint64_t>& key) {
        std::string k = std::to_string(parent);
        k += '\0';
        if (const auto* s = std::get_if<std::string>(&key)) k += *s;
        else {
            k += '#';
            k += std::to_string(std::get<std::uint64_t>(key));
        }
        return k;
    }
};

}  // namespace detail

using detail::archive_state;

archive::archive(const std::filesystem::path& file, const load_options& options) {
    auto st = std::make_shared<archive_state>();
    st->name = file.string();
    st->options = options;
    auto in = codec::open_random_input(file, options);
    st->codec = in.codec;
    st->input = std::move(in.access);
    state_ = read_table_of_contents(std::move(st));
}

archive::archive(std::shared_ptr<const std::vector<std::byte>> brine_stream, std::string name, const load_options& options) {
    auto st = std::make_shared<archive_state>();
    st->name = name;
    st->options = options;
    io::mapped_bytes held{brine_stream, *brine_stream};
    st->input = io::memory_access(std::move(held), std::move(name));
    state_ = read_table_of_contents(std::move(st));
}

std::shared_ptr<const archive_state> archive::read_table_of_contents(std::shared_ptr<archive_state> st) {
    const auto& options = st->options;
    // The header, then the trailer and the table of contents.
    {
        auto s = st->input->open_at(0);
        format::reader check(*s, options);
    }
    st->toc = format::read_tail(*st->input, options.verify_checksums);
    const auto& entries = st->toc.entries();
    for (std::uint32_t i = 0; i < entries.size(); ++i) {
        st->by_offset.emplace(entries[i].offset, i);
        if (i == 0) continue;
        const auto& e = entries[i];
        const bool dict_child = entries[e.parent].kind == node_kind::dict;
        st->by_key.emplace(archive_state::key_of(e.parent, dict_child ? entry::child_key(e.key) : entry::child_key(e.ordinal)), i);
    }
    return st;
}

entry entry::over_record(io::mapped_bytes bytes, std::uint64_t offset, std::string name, std::string path,
                         const load_options& options) {
    if (offset >= bytes.bytes.size()) throw truncated_error({name, offset}, "expected a value record, found the end of the data");
    const auto byte = static_cast<std::uint8_t>(bytes.bytes[offset]);
    const auto tag = format::v1::value_kind_of_tag(byte);
    if (!tag) throw corrupt_error({name, offset}, "expected a value record tag, found " + std::to_string(static_cast<unsigned>(byte)));
    auto st = std::make_shared<archive_state>();
    st->name = std::move(name);
    st->options = options;
    const auto size = bytes.bytes.size();
    st->input = io::memory_access(std::move(bytes), st->name);
    // One entry, the value itself; its children are found by parsing it.
    format::toc_entry root;
    root.kind = *tag;
    root.offset = offset;
    root.length = size - offset;  // an upper bound: only children's lengths are used
    st->toc.entries().push_back(std::move(root));
    st->by_offset.emplace(offset, 0);
    return entry(std::move(st), 0, std::move(path));
}

entry archive::root() const { return entry(state_, 0, "root"); }
const format::table_of_contents& archive::toc() const noexcept { return state_->toc; }
codec_id archive::codec() const noexcept { return state_->codec; }
std::uint64_t archive::stream_size() const noexcept { return state_->input->size(); }

// --- entry_reader -------------------------------------------------------------

struct entry_reader::impl {
    std::shared_ptr<const archive_state> state;
    std::unique_ptr<io::source> source;
    std::optional<format::reader> reader;
};

entry_reader::entry_reader(std::shared_ptr<const archive_state> state, std::uint64_t offset, std::string path)
    : impl_(std::make_unique<impl>()) {
    impl_->source = state->input->open_at(offset);
    impl_->reader.emplace(*impl_->source, state->options, format::reader::entry_position{offset, std::move(path)});
    impl_->state = std::move(state);
}
entry_reader::~entry_reader() = default;
entry_reader::entry_reader(entry_reader&&) noexcept = default;
format::reader& entry_reader::reader() noexcept { return *impl_->reader; }

// --- entry ----------------------------------------------------------------------

node_kind entry::container_kind() const {
    if (steps_.empty()) return state_->toc.entries()[node_].kind;
    // A value without an entry of its own: its record says (a tuple reads as a list).
    auto r = open_reader();
    return r.reader().peek();
}

entry entry::child(const child_key& key) const {
    const auto kind = container_kind();
    const auto where = location{state_->name, steps_.empty() ? std::optional<std::uint64_t>(state_->toc.entries()[node_].offset) : std::nullopt};
    if (!is_container(kind))
        throw type_error(where, path() + " is a " + std::string(name(kind)) + "; cannot index it");
    // Objects: a key reaches into the state, a position into the args.
    if (kind == node_kind::object) {
        const auto part = std::holds_alternative<std::string>(key) ? object_part::state : object_part::args;
        return entry_at(std::uint64_t{static_cast<std::uint8_t>(part)}, route_).child(key);
    }
    // Dicts take keys, lists and maps positions (maps: the i-th pair's value).
    if (kind == node_kind::dict && !std::holds_alternative<std::string>(key))
        throw type_error(where, path() + " is a dict; index it with a key");
    if (kind != node_kind::dict && !std::holds_alternative<std::uint64_t>(key))
        throw type_error(where, path() + " is a " + std::string(name(kind)) + "; index it with a position");
    auto route = route_;
    if (kind == node_kind::dict) {
        route.push_back(path_step::dict_key(std::get<std::string>(key)));
        return entry_at(key, std::move(route));
    }
    const auto i = std::get<std::uint64_t>(key);
    if (kind == node_kind::map) {
        route.push_back(path_step::map_pair(i));
        return entry_at(i * 2 + 1, std::move(route));
    }
    route.push_back(path_step::position(i));
    return entry_at(key, std::move(route));
}

entry entry::entry_at(const child_key& k, std::vector<path_step> route) const {
    if (steps_.empty())
        if (auto it = state_->by_key.find(archive_state::key_of(node_, k)); it != state_->by_key.end()) {
            entry indexed(state_, it->second, root_);
            indexed.route_ = std::move(route);
            indexed.node_route_ = indexed.route_.size();
            return indexed;
        }
    entry leaf(state_, node_, root_);
    leaf.steps_ = steps_;
    leaf.steps_.push_back(k);
    leaf.route_ = std::move(route);
    leaf.node_route_ = node_route_;
    return leaf;
}

entry entry::operator[](std::string_view key) const { return child(std::string(key)); }
entry entry::operator[](std::size_t index) const { return child(std::uint64_t{index}); }

entry_reader entry::open_reader() const {
    const auto& e = state_->toc.entries()[node_];
    // The reader names what it reads from node_'s path, adding each step's key as it walks.
    std::string here = path_text(root_, std::span(route_).first(node_route_));  // the container each step is taken in
    entry_reader r(state_, e.offset, here);
    auto& rd = r.reader();
    for (const auto& step : steps_) {
        const auto at = rd.offset();
        switch (rd.peek()) {
        case node_kind::dict: {
            const auto* key = std::get_if<std::string>(&step);
            if (!key) rd.type_mismatch("a list or map (indexed by position)");
            const auto& want = *key;
            const auto n = rd.begin_dict();
            std::uint64_t i = 0;
            for (; i < n; ++i) {
                if (rd.read_key() == want) break;
                state_->skip_child(rd);
            }
            if (i == n) throw error({state_->name, at}, "no key " + quoted_key(want) + " in " + here);
            append_key_step(here, want);
            break;
        }
        case node_kind::list: case node_kind::map: case node_kind::object: {
            const auto kind = rd.peek();
            const auto* position = std::get_if<std::uint64_t>(&step);
            if (!position) rd.type_mismatch("a dict (indexed by key)");
            const auto ordinal = *position;
            const auto n = kind == node_kind::list ? rd.begin_list()
                           : kind == node_kind::object ? (rd.begin_object(), object_part_count)
                                                       : rd.begin_map() * 2;
            if (ordinal >= n)
                throw error({state_->name, at}, "index " + std::to_string(kind == node_kind::map ? ordinal / 2 : ordinal) +
                                                    " out of range in " + here + " of " +
                                                    std::to_string(kind == node_kind::map ? n / 2 : n));
            for (std::uint64_t i = 0; i < ordinal; ++i) state_->skip_child(rd);
            // An object's parts are not in paths: ["coef_"] reaches into its state.
            if (kind == node_kind::map) append_map_step(here, ordinal / 2, ordinal % 2 == 0);
            else if (kind != node_kind::object) append_index_step(here, ordinal);
            break;
        }
        default: rd.type_mismatch("a container");
        }
    }
    return r;
}

node_kind entry::kind() const { return container_kind(); }

std::uint64_t entry::size() const {
    auto r = open_reader();
    auto& rd = r.reader();
    switch (rd.peek()) {
    case node_kind::list: return rd.begin_list();
    case node_kind::dict: return rd.begin_dict();
    case node_kind::map: return rd.begin_map();
    default: return 0;
    }
}

std::vector<std::string> entry::keys() const {
    auto r = open_reader();
    auto& rd = r.reader();
    if (rd.peek() != node_kind::dict) rd.type_mismatch("a dict");
    const auto n = rd.begin_dict();
    std::vector<std::string> keys;
    for (std::uint64_t i = 0; i < n; ++i) {
        keys.push_back(rd.read_key());
        state_->skip_child(rd);
    }
    return keys;
}

brine::value entry::value() const { return load<brine::value>(); }

}  // namespace brine
