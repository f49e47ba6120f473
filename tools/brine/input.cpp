#include "input.hpp"

#include "counting.hpp"

#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/file.hpp>
#include <brine/model/value_path.hpp>

#include <array>
#include <charconv>
#include <cstring>
#include <fstream>
#include <istream>

namespace brine::cli {

namespace {


// A PATH step as a position in a container of `size` children.
std::uint64_t position(std::string_view step, std::uint64_t size, const std::string& file, const std::string& where,
                       std::string_view what) {
    std::int64_t i = 0;
    const auto [end, ec] = std::from_chars(step.data(), step.data() + step.size(), i);
    if (step.empty() || ec != std::errc{} || end != step.data() + step.size())
        throw error({file, std::nullopt}, where + " is a " + std::string(what) + ": '" + std::string(step) +
                                              "' is not a position (use a number)");
    const auto resolved = i < 0 ? static_cast<std::int64_t>(size) + i : i;
    if (resolved < 0 || static_cast<std::uint64_t>(resolved) >= size)
        throw error({file, std::nullopt}, "position " + std::string(step) + " out of range in " + where + " (" +
                                              std::string(what) + " of " + std::to_string(size) + ")");
    return static_cast<std::uint64_t>(resolved);
}

// Where a joblib < 0.10 pickle's companion files are: beside it.
std::filesystem::path companion_directory(const std::filesystem::path& file) {
    const auto directory = file.parent_path();
    return directory.empty() ? "." : directory;
}

}  // namespace

std::string format_text(const file_identity& id) {
    if (id.format != file_format::brine) return std::string(name(id.format));
    return "brine v" + std::to_string(id.major) + "." + std::to_string(id.minor);
}

std::string codec_text(const file_identity& id) {
    return id.format == file_format::npz ? "zip" : std::string(info(id.codec).name);
}

loaded_file load_whole(const std::filesystem::path& file, const file_identity& id, const whole_load& how) {
    load_options options = how.keys;
    options.threads = how.threads;
    byte_counter count_file_bytes;
    if (how.reporter) count_file_bytes = [r = how.reporter](std::uint64_t n) { r->advance(n); };

    if (id.codec != codec_id::none) {
        // Decode here rather than inside the loader so both ends of the codec
        // can be counted: file bytes for progress, decoded bytes for the size.
        std::filebuf raw_file;
        if (!raw_file.open(file, std::ios::in | std::ios::binary))
            throw io_error({file.string(), std::nullopt}, "cannot open for reading");
        counting_istreambuf raw(raw_file, count_file_bytes);
        std::istream raw_in(&raw);
        raw_in.exceptions(std::ios::badbit);  // let the codec's brine::error through
        codec_istream decoded(raw_in, options);  // decrypts first when the file is encrypted
        counting_istreambuf plain(*decoded.rdbuf(), {});
        std::istream in(&plain);
        in.exceptions(std::ios::badbit);
        return naming_file(file.string(), [&] {
            loaded_file out;
            out.value = id.format == file_format::brine ? brine::load(in, options) : joblib::load(in, companion_directory(file), options);
            plain.drain();  // joblib stops reading at the pickle's STOP
            out.uncompressed_size = plain.count();
            return out;
        });
    }

    if (how.map_if_possible) options.mmap = mmap_mode::read_only_or_load;
    switch (id.format) {
    case file_format::brine: return {brine::load(file, options), id.file_size};
    case file_format::joblib: return {joblib::load(file, options), id.file_size};
    case file_format::npy: return {value(npy::load(file, options)), id.file_size};
    case file_format::npz: {
        auto v = npz::load(file, options);
        const auto size = data_bytes(v);
        return {std::move(v), size};
    }
    }
    throw format_error({file.string(), 0}, "unknown format");
}

std::uint64_t data_bytes(const brine::value& v) {
    struct visitor {
        std::uint64_t operator()(none_t) const { return 0; }
        std::uint64_t operator()(const scalar& s) const { return itemsize(s.type()); }
        std::uint64_t operator()(const std::string& s) const { return s.size(); }
        std::uint64_t operator()(const bytes& b) const { return b.size(); }
        std::uint64_t operator()(const list& l) const {
            std::uint64_t n = 0;
            for (const auto& x : l) n += data_bytes(x);
            return n;
        }
        std::uint64_t operator()(const dict& d) const {
            std::uint64_t n = 0;
            for (const auto& [k, x] : d) n += data_bytes(x);
            return n;
        }
        std::uint64_t operator()(const map& m) const {
            std::uint64_t n = 0;
            for (const auto& [k, x] : m) n += data_bytes(k) + data_bytes(x);
            return n;
        }
        std::uint64_t operator()(const ndarray& a) const { return a.nbytes(); }
        std::uint64_t operator()(const object_box& box) const {
            const auto& o = box.get();
            return (*this)(o.args) + (*this)(o.kwargs) + data_bytes(o.state) + (*this)(o.items) + (*this)(o.dict_items);
        }
    };
    return std::visit(visitor{}, v.variant());
}

std::vector<std::string> split_tree_path(std::string_view path) {
    if (path == "root") return {};
    std::vector<std::string> steps;
    while (!path.empty()) {
        const auto slash = path.find('/');
        const auto step = path.substr(0, slash);
        if (!step.empty()) steps.emplace_back(step);  // "a//b" and a leading or trailing '/' mean "a/b"
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return steps;
}

const brine::value& select(const brine::value& root, const std::vector<std::string>& steps, const std::string& file,
                           std::string& where) {
    where = "root";
    const brine::value* v = &root;
    for (const auto& step : steps) {
        if (v->is_object()) {
            // A key reaches into the object's state, a position into its args.
            const auto& o = v->as_object();
            const bool by_key = o.state.is_dict() && o.state.as_dict().find(step);
            if (!by_key && o.args.empty())
                throw error({file, std::nullopt}, where + " is a " + v->describe() + " whose state has no " + quoted_key(step));
            if (by_key) {
                v = o.state.as_dict().find(step);
                append_key_step(where, step);
            } else {
                const auto i = position(step, o.args.size(), file, where, "object's args");
                v = &o.args[i];
                append_index_step(where, i);
            }
        } else if (v->is_dict()) {
            v = v->as_dict().find(step);
            if (!v) throw error({file, std::nullopt}, "no key " + quoted_key(step) + " in " + where);
            append_key_step(where, step);
        } else if (v->is_list()) {
            const auto i = position(step, v->size(), file, where, "list");
            v = &v->as_list()[i];
            append_index_step(where, i);
        } else if (v->is_map()) {
            const auto i = position(step, v->size(), file, where, "map");
            v = &v->as_map()[i].second;
            append_map_step(where, i, false);
        } else {
            throw error({file, std::nullopt}, where + " is a " + v->describe() + "; there is no " + quoted_key(step) + " inside it");
        }
    }
    return *v;
}

selected_entry select(const brine::archive& archive, const std::vector<std::string>& steps, const std::string& file) {
    const auto& toc = archive.toc();
    selected_entry at{archive.root(), 0};
    for (const auto& step : steps) {
        auto& e = at.entry;
        switch (const auto kind = e.kind()) {
        case node_kind::dict:
            e = e[std::string_view(step)];
            if (at.toc_index) at.toc_index = toc.child(*at.toc_index, step);
            break;
        case node_kind::object: {
            // A number is a position in the args, else a key of the state
            // (the common case: an estimator's attributes).
            const bool numeric = !step.empty() && step.size() <= 18 && step.find_first_not_of("0123456789") == std::string::npos;
            const auto part = numeric ? object_part::args : object_part::state;
            if (at.toc_index) at.toc_index = toc.child(*at.toc_index, std::uint64_t{static_cast<std::uint8_t>(part)});
            if (numeric) {
                const auto i = std::stoull(step);
                e = e[static_cast<std::size_t>(i)];
                if (at.toc_index) at.toc_index = toc.child(*at.toc_index, std::uint64_t{i});
            } else {
                e = e[std::string_view(step)];
                if (at.toc_index) at.toc_index = toc.child(*at.toc_index, step);
            }
            break;
        }
        case node_kind::list:
        case node_kind::map: {
            const auto i = position(step, e.size(), file, e.path(), name(kind));
            e = e[static_cast<std::size_t>(i)];
            // A map's children in the table of contents alternate key, value.
            if (at.toc_index) at.toc_index = toc.child(*at.toc_index, kind == node_kind::map ? 2 * i + 1 : i);
            break;
        }
        default:
            throw error({file, std::nullopt}, e.path() + " is a " + std::string(name(kind)) + "; there is no " + quoted_key(step) + " inside it");
        }
    }
    at.entry.kind();  // throws when the last step names nothing
    return at;
}

}  // namespace brine::cli
