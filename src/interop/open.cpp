// brine::open for every format brine reads. A brine file is opened as it is
// (table of contents, block index, mapping). A joblib pickle, .npy or .npz
// has no table of contents: it is loaded (no code runs, as in joblib::load)
// and viewed as the brine stream it converts to, in memory, so that paths
// and typed loads work the same: open("model.joblib")["coef_"].
#include <brine/api/archive.hpp>
#include <brine/api/identify.hpp>
#include <brine/format/writer.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/memory.hpp>
#include <brine/types/value.hpp>

namespace brine {

archive open(const std::filesystem::path& file, const load_options& options) {
    const auto id = identify(file, options);  // an encrypted file needs its keys to tell
    if (id.format == file_format::brine) return archive(file, options);
    value v;
    switch (id.format) {
    case file_format::joblib: v = joblib::load(file, options); break;
    case file_format::npy: v = npy::load(file, options); break;
    case file_format::npz: v = npz::load(file, options); break;
    case file_format::brine: break;
    }
    io::memory_sink sink;
    format::writer w(sink);
    save(w, v);
    w.finish();
    return archive(std::make_shared<const std::vector<std::byte>>(std::move(sink).take()), file.string(), options);
}

}  // namespace brine
