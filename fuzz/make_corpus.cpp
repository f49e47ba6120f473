// Writes the fuzzers' seed corpora: valid inputs of every kind each target
// reads, made by brine's own writers so they follow the code (no binary
// seeds in git). Usage: make_corpus OUT_DIR  -> OUT_DIR/<target>/<seed>
#include "entry_points.hpp"
#include "samples.hpp"

#include "codec/factory.hpp"

#include <brine/codec/codec.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/memory.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace brine;

namespace {

fs::path out_dir;

void write_seed(std::string_view target, const std::string& name, std::span<const std::byte> bytes) {
    if (!fuzz::find_entry_point(target)) throw std::logic_error("no fuzz target " + std::string(target));
    const auto dir = out_dir / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
}

template <class Write>
std::vector<std::byte> written_by(Write&& write) {
    io::memory_sink sink;
    write(sink);
    return std::move(sink).take();
}

void brine_seeds() {
    const auto tree = fuzz::sample_tree();
    const auto model = fuzz::sample_model();
    const std::vector<xt::xarray<double>> arrays{xt::xarray<double>{{1, 2}, {3, 4}}, xt::xarray<double>(7.0)};
    for (const auto& c : codecs()) {
        if (!c.available) continue;
        const std::string codec(c.name);
        // Small blocks: compressed files get several blocks and a block index.
        const std::uint64_t block = c.id == codec_id::none ? 0 : 4096;
        const auto tree_file = fuzz::brine_file(tree, c.id, block);
        const auto model_file = fuzz::brine_file(model, c.id, block);
        write_seed("load_value", "tree." + codec, tree_file);
        write_seed("load_value", "model." + codec, model_file);
        write_seed("load_typed", "model." + codec, model_file);
        write_seed("load_typed", "arrays." + codec, fuzz::brine_file(arrays, c.id));
        write_seed("open_and_verify", "tree." + codec, tree_file);
        const auto objects_file = fuzz::brine_file(fuzz::sample_objects(), c.id, block);
        write_seed("load_value", "objects." + codec, objects_file);
        write_seed("open_and_verify", "objects." + codec, objects_file);
        if (c.id == codec_id::none) continue;
        const auto decoder = "decode_" + codec;
        write_seed(decoder, "tree_blocks", tree_file);
        write_seed(decoder, "model_one_block", fuzz::brine_file(model, c.id));
        const std::string text = "a short text, compressed alone, as other tools write it";
        write_seed(decoder, "text", written_by([&](io::sink& sink) {
                       auto enc = codec::make_encoding_sink(sink, {c.id, c.default_level, 1, 0});
                       enc->write(std::as_bytes(std::span(text)));
                       enc->finish();
                   }));
    }
}

void numpy_seeds() {
    const auto sample = fuzz::sample_tree();
    const auto& tree = sample.as_dict();
    dict arrays;
    for (const auto& entry : tree)
        if (entry.second.is_array()) {
            const auto& array = entry.second.as_array();
            arrays.insert(entry.first, array);
            write_seed("npy", entry.first, written_by([&](io::sink& s) { npy::dump(array, s); }));
        }
    write_seed("npz", "stored", written_by([&](io::sink& s) { npz::dump(arrays, s); }));
    write_seed("npz", "deflated", written_by([&](io::sink& s) { npz::dump(arrays, s, {.compress = true}); }));
    write_seed("npz", "zip64", written_by([&](io::sink& s) { npz::dump(arrays, s, {.force_zip64 = true}); }));
}

void joblib_seeds() {
    const auto tree = fuzz::sample_tree();
    for (int protocol = 2; protocol <= 5; ++protocol)
        write_seed("joblib", "tree.protocol" + std::to_string(protocol),
                   written_by([&](io::sink& s) { joblib::dump(tree, s, {.protocol = protocol}); }));
    // Object nodes as scikit-learn and pandas pickles spell them.
    const auto objects = fuzz::sample_objects();
    for (int protocol = 2; protocol <= 5; ++protocol)
        write_seed("joblib", "objects.protocol" + std::to_string(protocol),
                   written_by([&](io::sink& s) { joblib::dump(objects, s, {.protocol = protocol}); }));
    // Protocols 0 and 1 object creation (INST, OBJ), a memo cycle.
    const std::string inst_obj = std::string("(K\x07im\nC\n(cm\nD\nK\x08o\x86.");
    write_seed("joblib", "inst_obj", std::as_bytes(std::span(inst_obj)));
    const std::string cycle("\x80\x02" "cm\nC\n)\x81q\x00}X\x02\x00\x00\x00meh\x00sb.", 24);
    write_seed("joblib", "memo_cycle", std::as_bytes(std::span(cycle)));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    brine_seeds();
    numpy_seeds();
    joblib_seeds();
    return 0;
}
