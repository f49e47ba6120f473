// brine ls FILE [PATH]: the header line and the tree, without reading array
// data of brine files (their table of contents says where everything is).
#include "command.hpp"
#include "frozen_map_files.hpp"
#include "input.hpp"
#include "spill_store.hpp"
#include "keys.hpp"

#include <functional>
#include <iostream>
#include <memory>

namespace brine::cli {

namespace {

constexpr std::uint64_t default_limit = 20;
// Strings longer than this are not previewed on their line.
constexpr std::size_t preview_chars = 60;

// One node of the tree, from a loaded value or from a brine archive entry.
class tree_node {
public:
    using visitor = std::function<void(const std::string& label, const tree_node& child)>;
    virtual ~tree_node() = default;
    // "dict of 3", "array float32 (10, 3)", "int64 = 5"
    virtual std::string describe() const = 0;
    virtual std::optional<std::uint64_t> size() const = 0;
    virtual std::uint64_t child_count() const = 0;
    // Visits the first `n` children.
    virtual void children(std::uint64_t n, const visitor& visit) const = 0;
};

std::string describe_array(const array_meta& meta) {
    std::string text = "array " + meta.dtype_text() + " " + shape_text(meta.shape);
    if (meta.shape.size() > 1 && meta.layout() == memory_order::fortran) text += " F-order";
    if (itemsize(meta.dtype) > 1 && meta.order != native_byte_order)
        text += meta.order == byte_order::big ? " big-endian" : " little-endian";
    return text;
}

class value_node final : public tree_node {
public:
    explicit value_node(const brine::value& v) : v_(v) {}

    std::string describe() const override {
        switch (v_.kind()) {
        case node_kind::none: return "none";
        case node_kind::scalar: return std::string(name(v_.as_scalar().type())) + " = " + v_.as_scalar().to_string();
        case node_kind::string:
            return v_.as_string().size() <= preview_chars ? "string = " + to_string(v_) : "string";
        case node_kind::bytes: return "bytes";
        case node_kind::list: return "list of " + std::to_string(v_.size());
        case node_kind::dict: return "dict of " + std::to_string(v_.size());
        case node_kind::map: return "map of " + std::to_string(v_.size());
        case node_kind::array: return describe_array(v_.as_array().meta());
        case node_kind::object: {
            const auto& o = v_.as_object();
            if (o.is_tuple()) return "object builtins.tuple of " + std::to_string(o.args[0].size());
            return "object " + o.class_name() + " (" + std::string(name(o.build)) + (o.has_state ? " + BUILD" : "") + ")";
        }
        }
        return v_.describe();
    }
    std::optional<std::uint64_t> size() const override { return data_bytes(v_); }
    std::uint64_t child_count() const override { return v_.is_object() ? object_parts().size() : v_.size(); }
    void children(std::uint64_t n, const visitor& visit) const override {
        if (v_.is_object()) {
            const auto parts = object_parts();
            for (std::uint64_t i = 0; i < n; ++i) visit(parts[i].first, value_node(*parts[i].second));
        } else if (v_.is_list())
            for (std::uint64_t i = 0; i < n; ++i) visit(std::to_string(i), value_node(v_.as_list()[i]));
        else if (v_.is_dict()) {
            auto it = v_.as_dict().begin();
            for (std::uint64_t i = 0; i < n; ++i, ++it) visit(it->first, value_node(it->second));
        } else if (v_.is_map())
            for (std::uint64_t i = 0; i < n; ++i) visit(to_string(v_.as_map()[i].first), value_node(v_.as_map()[i].second));
    }

private:
    // An object's children: its state's entries when the state is a dict
    // (what path access reaches), else its state; args and items by position.
    std::vector<std::pair<std::string, const brine::value*>> object_parts() const {
        const auto& o = v_.as_object();
        std::vector<std::pair<std::string, const brine::value*>> parts;
        for (std::size_t i = 0; i < o.args.size(); ++i) parts.emplace_back(std::to_string(i), &o.args[i]);
        for (const auto& [k, x] : o.kwargs) parts.emplace_back(k + "=", &x);
        if (o.state.is_dict())
            for (const auto& [k, x] : o.state.as_dict()) parts.emplace_back(k, &x);
        else if (o.has_state)
            parts.emplace_back("(state)", &o.state);
        for (std::size_t i = 0; i < o.items.size(); ++i) parts.emplace_back("(item " + std::to_string(i) + ")", &o.items[i]);
        for (const auto& [k, x] : o.dict_items) parts.emplace_back("[" + to_string(k) + "]", &x);
        return parts;
    }

    const brine::value& v_;
};

// An entry of a brine file. Lists, dicts and arrays are described from the
// table of contents and array metadata alone; everything else is loaded:
// scalars and strings cost little, and maps hold their keys in their record.
class entry_node final : public tree_node {
public:
    entry_node(const archive& a, entry e, std::optional<std::uint32_t> toc_index)
        : archive_(a), entry_(std::move(e)), toc_index_(toc_index) {
        const auto kind = toc_index_ ? record().kind : entry_.kind();
        if (kind == node_kind::array) {
            auto r = entry_.open_reader();
            meta_ = r.reader().begin_array();  // metadata only: the payload stays unread
        } else if (toc_index_ && (kind == node_kind::list || kind == node_kind::dict)) {
            count_ = entry_.size();
        } else {
            loaded_ = std::make_unique<brine::value>(entry_.value());
            as_value_ = std::make_unique<value_node>(*loaded_);
        }
    }

    std::string describe() const override {
        if (as_value_) return as_value_->describe();
        if (meta_) return describe_array(*meta_);
        return std::string(name(record().kind)) + " of " + std::to_string(count_);
    }
    // Containers: their record's length in the uncompressed stream.
    std::optional<std::uint64_t> size() const override {
        if (as_value_) return as_value_->size();
        if (meta_) return meta_->nbytes();
        return record().length;
    }
    std::uint64_t child_count() const override { return as_value_ ? as_value_->child_count() : meta_ ? 0 : count_; }
    void children(std::uint64_t n, const visitor& visit) const override {
        if (as_value_) return as_value_->children(n, visit);
        const auto& toc = archive_.toc();
        if (record().kind == node_kind::dict) {
            const auto keys = entry_.keys();
            for (std::uint64_t i = 0; i < n; ++i)
                visit(keys[i], entry_node(archive_, entry_[std::string_view(keys[i])], toc.child(*toc_index_, keys[i])));
        } else {
            for (std::uint64_t i = 0; i < n; ++i)  // lists only: maps are loaded
                visit(std::to_string(i), entry_node(archive_, entry_[static_cast<std::size_t>(i)], toc.child(*toc_index_, i)));
        }
    }

private:
    const format::toc_entry& record() const { return archive_.toc().entries()[*toc_index_]; }

    const archive& archive_;
    entry entry_;
    std::optional<std::uint32_t> toc_index_;
    std::unique_ptr<brine::value> loaded_;
    std::unique_ptr<value_node> as_value_;
    std::optional<array_meta> meta_;
    std::uint64_t count_ = 0;
};

struct listing {
    std::uint64_t limit = default_limit;
    bool all = false;
    std::optional<std::uint64_t> max_depth;
};

void print_tree(const std::string& label, const tree_node& node, const listing& how, std::size_t depth) {
    const std::string indent(2 * depth, ' ');
    std::cout << indent << label << ": " << node.describe();
    if (const auto bytes = node.size()) std::cout << ", " << human_bytes(*bytes);
    std::cout << '\n';
    if (how.max_depth && depth >= *how.max_depth) return;
    const auto count = node.child_count();
    const auto shown = how.all ? count : std::min(count, how.limit);
    node.children(shown, [&](const std::string& child_label, const tree_node& child) {
        print_tree(child_label, child, how, depth + 1);
    });
    if (shown < count) std::cout << indent << "  ... and " << count - shown << " more (--all shows them)\n";
}

void print_header(const std::string& file, const file_identity& id, std::uint64_t uncompressed) {
    std::cout << file << ": " << format_text(id) << ", codec " << codec_text(id) << ", file " << human_bytes(id.file_size)
              << ", uncompressed " << human_bytes(uncompressed) << '\n';
}

int run(const parsed_args& args) {
    const auto file = *args.positional(0);
    if (is_frozen_map_file(file)) return ls_frozen_map(file, args);
    if (is_store_directory(file)) return list_spill_store(file, read_keys(args));
    const auto steps = split_tree_path(args.positional(1).value_or(""));
    listing how;
    how.limit = args.number("limit", 1, UINT64_MAX).value_or(default_limit);
    how.all = args.flag("all");
    how.max_depth = args.number("depth", 0, UINT64_MAX);

    const auto keys = read_keys(args);
    const auto id = identify(file, keys);
    if (id.format == file_format::brine) {
        const auto a = brine::open(file, keys);
        const auto at = select(a, steps, file);
        print_header(file, id, a.stream_size());
        print_tree(at.entry.path(), entry_node(a, at.entry, at.toc_index), how, 0);
        return exit_ok;
    }
    const auto whole = load_whole(file, id, {.keys = keys});
    std::string where;
    const auto& v = select(whole.value, steps, file, where);
    print_header(file, id, whole.uncompressed_size);
    print_tree(where, value_node(v), how, 0);
    return exit_ok;
}

}  // namespace

const command ls_command{
    "list what a file holds: format, sizes and the tree",
    R"help(usage: brine ls FILE [PATH] [--limit N | --all] [--depth N]
       brine ls DIR

DIR, a spill store (brine::spill_map), is listed one entry per line: its
key, weight and codec, or the file it is attached to.

Lists what FILE holds, without printing the data. The first line gives the
format (brine vX.Y, joblib, npy or npz), the codec, the file's size and the
uncompressed size. Then one line per node, indented by depth:

  KEY: TYPE[ = VALUE], SIZE

TYPE is the kind (dict/list/map of N children, string, bytes, none), a
scalar's dtype with its value, or "array DTYPE (SHAPE)" (with "F-order"
for Fortran-ordered arrays and the byte order when it is not the
machine's). SIZE is the data's size: array bytes, string and bytes
lengths; for containers the sum of their contents, and for containers of
brine files the length of their record in the uncompressed stream.

Brine files are listed from their table of contents: array data is never
read, so listing a huge uncompressed file is quick. joblib, npy and npz
files have no table of contents and are loaded (uncompressed files are
memory-mapped, not read).

PATH selects a subtree: keys and positions separated by '/', such as
model/weights or layers/3 (positions of lists and maps count from 0;
negative ones from the end).

Options:
  --limit N   show at most N children of each container (default 20);
              the rest are summarised as "... and K more"
  --all       show every child
  --depth N   stop N levels below PATH (0: the node alone)
  -i, --identity FILE    age identity file, for an encrypted file
  --passphrase-file F    its passphrase, from F's first line (never on the command line)
  -h, --help  this text
)help",
    {"ls", 1, 2, with({{"limit", true}, {"all"}, {"depth", true}}, read_key_options)},
    run,
};

}  // namespace brine::cli
