// Writes the fuzzers' seed corpora: valid inputs of every kind each target
// reads, made by brine's own writers so they follow the code (no binary
// seeds in git). Usage: make_corpus OUT_DIR  -> OUT_DIR/<target>/<seed>
#include "entry_points.hpp"
#include "old_joblib_pickles.hpp"
#include "samples.hpp"

#include "codec/factory.hpp"

#include <brine/brine.hpp>
#include <brine/codec/codec.hpp>
#include <brine/crypto/age.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/memory.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
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

std::string hex(std::size_t n) {
    char digits[17];
    std::snprintf(digits, sizeof digits, "%zx", n);
    return digits;
}

void brine_seeds() {
    const auto tree = fuzz::sample_tree();
    const auto model = fuzz::sample_model();
    const std::vector<xt::xarray<double>> arrays{xt::xarray<double>{{1, 2}, {3, 4}}, xt::xarray<double>(7.0)};
    for (const auto& c : codecs()) {
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
        if (c.id == codec_id::zlib) {
            // joblib < 0.10's Z-file: "ZF", the length in hex padded to 19
            // bytes, then the zlib stream.
            write_seed(decoder, "joblib_zfile", written_by([&](io::sink& sink) {
                           char header[22];
                           std::snprintf(header, sizeof header, "ZF%-19s", ("0x" + hex(text.size())).c_str());
                           sink.write(std::as_bytes(std::span(header, 21)));
                           auto enc = codec::make_encoding_sink(sink, {c.id, c.default_level, 1, 0});
                           enc->write(std::as_bytes(std::span(text)));
                           enc->finish();
                       }));
        }
    }
}

void frozen_map_seeds() {
    const auto file = out_dir / "seed.brinemap";
    {
        frozen_map_builder b(file, {.duplicates = duplicate_keys::last_wins, .compress_above = 64, .durable = false});
        b.add("key", std::int64_t{1});
        b.add(0, std::string("text"));
        b.add(std::vector<std::byte>{std::byte{1}}, std::string(200, 'x'));  // compressed
        b.add("tree", fuzz::sample_tree());
        b.add("key", std::vector<float>{1, 2, 3});  // supersedes the first
        b.finish();
    }
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
    write_seed("frozen_map", "map", std::as_bytes(std::span(bytes)));
    fs::remove(file);
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

void age_seeds() {
    const auto recipient = age::recipient_of(fuzz::age_identity);
    const std::string text = "a short text, encrypted with age";
    const auto brine_file = fuzz::brine_file(fuzz::sample_tree(), codec_id::none);
    auto sealed = [&](std::span<const std::byte> plain, age::encryption keys) {
        keys.threads = 1;
        return written_by([&](io::sink& s) {
            auto enc = age::encrypting_sink(s, keys);
            enc->write(plain);
            enc->finish();
        });
    };
    write_seed("age", "x25519_text", sealed(std::as_bytes(std::span(text)), {.recipients = {recipient}}));
    write_seed("age", "x25519_empty", sealed({}, {.recipients = {recipient}}));
    write_seed("age", "x25519_brine", sealed(brine_file, {.recipients = {recipient, age::recipient_of(age::generate_identity())}}));
    write_seed("age", "scrypt_text", sealed(std::as_bytes(std::span(text)), {.passphrase = std::string(fuzz::age_passphrase), .work_factor = 10}));
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
    // joblib < 0.10: array wrappers naming companion files (which a pickle
    // read from memory has no directory for: the wrapper's state is still
    // parsed and its file name checked).
    write_seed("joblib", "old_ndarray_wrapper", std::as_bytes(std::span(fuzz::ndarray_wrapper_pickle)));
    write_seed("joblib", "old_zndarray_wrapper", std::as_bytes(std::span(fuzz::zndarray_wrapper_pickle)));
}

// A store's segment, with values of several kinds, uncompressed and zstd.
void spill_seeds() {
    for (auto codec : {codec_id::none, codec_id::zstd}) {
        const auto dir = std::filesystem::temp_directory_path() / ("brine-corpus-spill-" + std::to_string(int(codec)));
        std::filesystem::remove_all(dir);
        {
            spill_map<std::string, value> m(spill_options{.memory_limit = 0, .directory = dir, .codec = codec, .persist = true});
            m.insert_or_assign("tree", fuzz::sample_tree());
            m.insert_or_assign("text", value("a short string"));
            m.insert_or_assign("gone", value(std::int64_t{1}));
            m.erase("gone");
        }
        std::ifstream in(dir / "seg-00000001.bss", std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        write_seed("spill_segment", std::string("store.") + std::string(info(codec).name),
                   {reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()});
        std::filesystem::remove_all(dir);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    out_dir = argv[1];
    brine_seeds();
    frozen_map_seeds();
    numpy_seeds();
    joblib_seeds();
    spill_seeds();
    age_seeds();
    return 0;
}
