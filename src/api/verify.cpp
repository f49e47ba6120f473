#include "format/constants.hpp"

#include <brine/api/detail/session.hpp>
#include <brine/api/verify.hpp>
#include <brine/error.hpp>

#include <map>
#include <vector>

namespace brine {

namespace {

// Walks every record, streaming array payloads through `scratch` so their
// checksums are verified, and notes where each indexed record starts and ends.
class walker {
public:
    walker(format::reader& r, verify_report& report) : r_(r), report_(report), scratch_(1 << 20) {}

    void value() {
        const auto start = r_.offset();
        ++report_.records;
        const auto kind = r_.peek();
        switch (kind) {
        case node_kind::none: r_.read_none(); break;
        case node_kind::scalar: r_.read_scalar(); break;
        case node_kind::string: note_long(start, r_.read_string().size(), kind); return;
        case node_kind::bytes: note_long(start, r_.read_bytes().size(), kind); return;
        case node_kind::list: case node_kind::dict: case node_kind::map: {
            const auto n = kind == node_kind::list ? r_.begin_list() : kind == node_kind::dict ? r_.begin_dict() : 2 * r_.begin_map();
            for (std::uint64_t i = 0; i < n; ++i) {
                if (kind == node_kind::dict) r_.read_key();
                value();
            }
            r_.end();
            spans_[start] = {kind, r_.offset() - start};
            return;
        }
        case node_kind::array: {
            const auto nbytes = r_.begin_array().nbytes();
            for (std::uint64_t done = 0; done < nbytes;) {
                const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(scratch_.size(), nbytes - done));
                r_.read_array_data(std::span(scratch_).first(k));
                done += k;
            }
            r_.end_array();
            ++report_.arrays;
            report_.array_bytes += nbytes;
            spans_[start] = {kind, r_.offset() - start};
            return;
        }
        case node_kind::object: {
            r_.begin_object();
            for (std::uint64_t i = 0; i < object_part_count; ++i) value();
            r_.end();
            spans_[start] = {kind, r_.offset() - start};
            return;
        }
        }
        if (start == root_offset && spans_.empty()) spans_[start] = {kind, r_.offset() - start};  // a scalar root
    }

    // Every table-of-contents entry must match a record the walk found.
    void check(const format::table_of_contents& toc, const std::string& file) const {
        for (const auto& e : toc.entries()) {
            auto it = spans_.find(e.offset);
            if (it == spans_.end() || it->second.first != e.kind || it->second.second != e.length)
                throw corrupt_error({file, e.offset}, "table of contents entry does not match the record at this offset");
        }
    }

private:
    static constexpr std::uint64_t root_offset = format::v1::header_size;  // the root record follows the header
    void note_long(std::uint64_t start, std::uint64_t n, node_kind kind) {
        if (n >= format::v1::indexed_string_size || start == root_offset) spans_[start] = {kind, r_.offset() - start};
    }
    format::reader& r_;
    verify_report& report_;
    std::vector<std::byte> scratch_;
    std::map<std::uint64_t, std::pair<node_kind, std::uint64_t>> spans_;
};

}  // namespace

verify_report verify(const std::filesystem::path& file, unsigned threads) {
    return verify(file, load_options{.threads = threads});
}

verify_report verify(const std::filesystem::path& file, const load_options& given) {
    verify_report report;
    load_options options = given;
    options.mmap = mmap_mode::none;
    options.verify_checksums = true;
    std::optional<detail::load_session> session;
    session.emplace(file, options);  // io_error propagates: nothing to verify
    report.codec = session->codec();
    try {
        walker w(session->reader(), report);
        w.value();
        const auto toc = session->finish();
        w.check(toc, file.string());
    } catch (const error& e) {
        report.ok = false;
        report.message = e.what();
        report.offset = e.offset();
        try {
            report.path = session->reader().path();
        } catch (...) {
        }
    }
    return report;
}

}  // namespace brine
