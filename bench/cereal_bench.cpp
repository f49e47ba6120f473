// The same workloads through cereal's binary archive (Debian libcereal-dev),
// one measurement per process, for bench/run.py:
//
//   cereal_bench dump W FILE
//   cereal_bench load W FILE
//
// cereal has no compression and no xtensor support: arrays are written as
// their shape followed by cereal::binary_data of the elements. Streams are
// std::ofstream / std::ifstream with cereal's default buffering.
#include "measure.hpp"
#include "workloads.hpp"

#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/unordered_map.hpp>
#include <cereal/types/vector.hpp>

#include <filesystem>
#include <fstream>

namespace cereal {

template <class Archive, class EC, std::size_t N, xt::layout_type L, class Tag>
void save(Archive& ar, const xt::xtensor_container<EC, N, L, Tag>& a) {
    for (std::size_t d = 0; d < N; ++d) ar(static_cast<std::uint64_t>(a.shape()[d]));
    ar(binary_data(a.data(), a.size() * sizeof(typename EC::value_type)));
}
template <class Archive, class EC, std::size_t N, xt::layout_type L, class Tag>
void load(Archive& ar, xt::xtensor_container<EC, N, L, Tag>& a) {
    std::array<std::size_t, N> shape{};
    for (std::size_t d = 0; d < N; ++d) {
        std::uint64_t s = 0;
        ar(s);
        shape[d] = s;
    }
    a.resize(shape);
    ar(binary_data(a.data(), a.size() * sizeof(typename EC::value_type)));
}

}  // namespace cereal

namespace bench {
template <class Archive>
void serialize(Archive& ar, w2_t& w) {
    ar(w.d, w.arrays);
}
template <class Archive>
void serialize(Archive& ar, w3_t& w) {
    ar(w.images, w.target, w.names);
}
}  // namespace bench

namespace {

template <class W>
void dump(const W& w, const std::string& file) {
    bench::measurement m;
    {
        std::ofstream out(file, std::ios::binary);
        cereal::BinaryOutputArchive ar(out);
        ar(w);
    }
    m.stop();
    bench::report(m, "size=" + std::to_string(std::filesystem::file_size(file)) +
                         " data=" + std::to_string(bench::data_bytes(w)));
}

template <class W>
void load(const std::string& file) {
    bench::measurement m;
    W w;
    {
        std::ifstream in(file, std::ios::binary);
        cereal::BinaryInputArchive ar(in);
        ar(w);
    }
    m.stop();
    bench::report(m, std::string("ok=") + (bench::check(w) ? "1" : "0"));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: cereal_bench dump|load W1|W2|W3 FILE\n");
        return 2;
    }
    const std::string op = argv[1], w = argv[2], file = argv[3];
    if (op == "dump") {
        if (w == "W1") dump(bench::make_w1(), file);
        else if (w == "W2") dump(bench::make_w2(), file);
        else dump(bench::make_w3(), file);
    } else {
        if (w == "W1") load<bench::w1_t>(file);
        else if (w == "W2") load<bench::w2_t>(file);
        else load<bench::w3_t>(file);
    }
    return 0;
}
