// Encryption through the whole API: dump/load by extension for every codec,
// open() decrypting only the chunks an entry needs, joblib/npy/npz, codec
// streams, and the refusals (no keys, mmap).
#include "helpers.hpp"

#include "crypto/age_header.hpp"

#include <brine/brine.hpp>
#include <brine/codec_stream.hpp>
#include <brine/interop/joblib.hpp>
#include <brine/interop/npy.hpp>
#include <brine/io/file.hpp>

#include <map>
#include <sstream>

using namespace brine;
using namespace brine::test;

namespace {

using tree = std::map<std::string, std::vector<double>>;

tree make_tree(std::size_t length = 40'000) {
    tree t;
    for (int i = 0; i < 6; ++i) {
        std::vector<double> v(length + static_cast<std::size_t>(i) * 1000);
        for (std::size_t k = 0; k < v.size(); ++k) v[k] = static_cast<double>(k % 97) * 0.5 + i;
        t["layer" + std::to_string(i)] = std::move(v);
    }
    return t;
}

struct keys {
    std::string identity = age::generate_identity();
    std::string recipient = age::recipient_of(identity);
};

}  // namespace

TEST_CASE("dump picks .age as the outermost extension, for every codec; load and open read it back") {
    fresh_dir dir;
    keys k;
    const tree t = make_tree();
    for (const auto& c : codecs()) {
        CAPTURE(c.name);
        const auto file = dir / ("m.brine" + std::string(c.extension) + ".age");
        brine::dump(t, file, {.threads = 2, .recipients = {k.recipient}});
        CHECK(age::is_encrypted(read_file(file)));
        CHECK(brine::load<tree>(file, {.threads = 2, .identities = {k.identity}}) == t);
        auto a = brine::open(file, {.identities = {k.identity}});
        CHECK(a.codec() == c.id);
        CHECK(a["layer3"].load<std::vector<double>>() == t.at("layer3"));
        CHECK(a["layer5"].load<std::vector<double>>() == t.at("layer5"));
    }
}

TEST_CASE("open() decrypts only the chunks the entry needs") {
    fresh_dir dir;
    keys k;
    // Entries of 1.6 MB: more than the reader's 1 MiB window apart.
    const tree t = make_tree(200'000);
    const auto file = dir / "m.brine.age";
    brine::dump(t, file, {.recipients = {k.recipient}});
    // Damage a chunk in the middle: entries before it still load through
    // open(), the whole-file load and the entry over it fail naming the chunk.
    bytes b = read_file(file);
    const auto h = crypto::parse_age_header(b, "x");
    const std::size_t payload = h->size + 16, sealed_chunk = (64 << 10) + 16;
    const std::size_t chunks = (b.size() - payload + sealed_chunk - 1) / sealed_chunk;
    REQUIRE(chunks > 100);
    const std::size_t bad = chunks / 2;
    b[payload + bad * sealed_chunk + 100] ^= std::byte{4};
    write_file(file, b);
    INFO("damaged chunk " << bad << " of " << chunks);
    auto a = brine::open(file, {.identities = {k.identity}});
    CHECK(a["layer0"].load<std::vector<double>>() == t.at("layer0"));
    CHECK(a["layer5"].load<std::vector<double>>() == t.at("layer5"));
    bool failed = false;
    for (const auto& [key, v] : t) {
        try {
            (void)a[key].load<std::vector<double>>();
        } catch (const corrupt_error& e) {
            failed = true;
            CHECK(std::string(e.what()).find("chunk " + std::to_string(bad)) != std::string::npos);
        }
    }
    CHECK(failed);
    CHECK_THROWS_AS(brine::load<tree>(file, {.identities = {k.identity}}), corrupt_error);
}

TEST_CASE("open() checks the final chunk first: a file cut at a chunk boundary or extended is refused") {
    fresh_dir dir;
    keys k;
    const auto file = dir / "m.brine.age";
    brine::dump(make_tree(), file, {.recipients = {k.recipient}});
    const bytes b = read_file(file);
    const auto h = crypto::parse_age_header(b, "x");
    const std::size_t payload = h->size + 16, sealed_chunk = (64 << 10) + 16;
    write_file(file, std::span(b).first(payload + 3 * sealed_chunk));
    CHECK_THROWS_WITH_AS(brine::open(file, {.identities = {k.identity}}),
                         doctest::Contains("ends after age payload chunk 2, which is not the final chunk"), truncated_error);
    bytes longer = b;
    longer.insert(longer.end(), 10, std::byte{7});
    write_file(file, longer);
    CHECK_THROWS_AS(brine::open(file, {.identities = {k.identity}}), brine::error);
    write_file(file, std::span(b).first(payload));
    CHECK_THROWS_AS(brine::open(file, {.identities = {k.identity}}), truncated_error);
}

TEST_CASE("a passphrase-encrypted dump loads with the passphrase") {
    fresh_dir dir;
    const tree t = make_tree();
    const auto file = dir / "p.brine.lz4.age";
    brine::dump(t, file, {.passphrase = "open sesame"});
    CHECK(brine::load<tree>(file, {.passphrase = "open sesame"}) == t);
    CHECK_THROWS_AS(brine::load<tree>(file, {.passphrase = "close sesame"}), decryption_error);
}

TEST_CASE("keys are required, and encrypted files are never mapped") {
    fresh_dir dir;
    keys k;
    const tree t = make_tree();
    CHECK_THROWS_AS(brine::dump(t, dir / "x.brine.age"), unsupported_error);
    CHECK_FALSE(std::filesystem::exists(dir / "x.brine.age"));
    const auto file = dir / "m.brine.age";
    brine::dump(t, file, {.recipients = {k.recipient}});
    CHECK_THROWS_AS(brine::load<tree>(file), decryption_error);
    CHECK_THROWS_AS(brine::open(file), decryption_error);
    CHECK_THROWS_AS(brine::load<tree>(file, {.mmap = mmap_mode::read_only, .identities = {k.identity}}), unsupported_error);
    CHECK(brine::load<tree>(file, {.mmap = mmap_mode::read_only_or_load, .identities = {k.identity}}) == t);
    // Recipients without the extension still encrypt; streams too.
    brine::dump(t, dir / "plain-name.brine", {.recipients = {k.recipient}});
    CHECK(age::is_encrypted(read_file(dir / "plain-name.brine")));
    std::stringstream s;
    brine::dump(t, s, {.codec = codec_id::zstd, .recipients = {k.recipient}});
    CHECK(brine::load<tree>(s, {.identities = {k.identity}}) == t);
}

TEST_CASE("joblib, npy and npz files encrypt and decrypt") {
    fresh_dir dir;
    keys k;
    const tree t = make_tree();
    joblib::dump(t, dir / "x.pkl.gz.age", {.recipients = {k.recipient}});
    joblib::dump(t, dir / "x.pkl.gz");
    CHECK(joblib::load(dir / "x.pkl.gz.age", {.identities = {k.identity}}) == joblib::load(dir / "x.pkl.gz"));
    CHECK_THROWS_AS(joblib::dump(t, dir / "y.pkl.age"), unsupported_error);

    const value arrays = joblib::load(dir / "x.pkl.gz");
    npz::dump(arrays.as_dict(), dir / "a.npz.age", {.recipients = {k.recipient}});
    npz::dump(arrays.as_dict(), dir / "a.npz");
    CHECK(npz::load(dir / "a.npz.age", {.identities = {k.identity}}) == npz::load(dir / "a.npz"));

    // npy: any writer wrapped in the encrypting sink.
    const ndarray& a = arrays.as_dict().begin()->second.as_array();
    {
        io::atomic_file_sink file(dir / "a.npy.age");
        auto enc = age::encrypting_sink(file, {.recipients = {k.recipient}});
        npy::dump(a, *enc);
    }
    CHECK(value(npy::load(dir / "a.npy.age", {.identities = {k.identity}})) == value(a));
}

TEST_CASE("codec streams encrypt and decrypt any bytes") {
    keys k;
    const bytes data = mixed_data(1'000'000, 3);
    for (auto codec : {codec_id::none, codec_id::zstd, codec_id::gzip}) {
        CAPTURE(info(codec).name);
        std::stringstream s;
        {
            codec_ostream out(s, dump_options{.codec = codec, .threads = 2, .recipients = {k.recipient}});
            out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
            out.finish();
        }
        const std::string text = s.str();
        CHECK(age::is_encrypted(std::as_bytes(std::span(text))));
        codec_istream in(s, load_options{.threads = 2, .identities = {k.identity}});
        CHECK(in.codec() == codec);
        std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(std::as_bytes(std::span(back)).size() == data.size());
        CHECK(std::memcmp(back.data(), data.data(), data.size()) == 0);
        s.clear();
        s.seekg(0);
        CHECK_THROWS_AS(codec_istream{s}, decryption_error);
    }
}
