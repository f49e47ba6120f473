// brine's demo: dump and load a realistic object tree with every codec, and
// print the file size and the time each way.
#include <brine/brine.hpp>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xrandom.hpp>
#include <xtensor/xtensor.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

struct layer {
    std::string name;
    xt::xtensor<float, 2> weights;
    xt::xtensor<float, 1> bias;
    bool operator==(const layer&) const = default;
};
BRINE_FIELDS(layer, name, weights, bias)

struct experiment {
    std::string name;
    std::map<std::string, std::string> config;
    std::vector<layer> layers;
    xt::xtensor<float, 3> images;  // smooth, image-like data
    std::vector<std::int32_t> labels;
    std::vector<std::string> vocabulary;
    std::vector<double> losses;
    bool operator==(const experiment&) const = default;
};
BRINE_FIELDS(experiment, name, config, layers, images, labels, vocabulary, losses)

static experiment make_experiment() {
    experiment e;
    e.name = "demo run";
    e.config = {{"optimizer", "adam"}, {"lr", "3e-4"}, {"epochs", "20"}};
    xt::random::seed(42);
    for (int i = 0; i < 4; ++i)
        e.layers.push_back({"dense" + std::to_string(i), xt::random::randn<float>({512, 512}), xt::zeros<float>({512})});
    // 2000 images of 62x47 with smooth structure, as in joblib's LFW benchmark.
    auto y = xt::linspace<float>(0, 3.14f, 62), x = xt::linspace<float>(0, 3.14f, 47);
    auto base = xt::eval(xt::sin(xt::view(y, xt::all(), xt::newaxis())) * xt::cos(x));
    e.images = xt::xtensor<float, 3>::from_shape({2000, 62, 47});
    for (std::size_t i = 0; i < 2000; ++i)
        xt::view(e.images, i) = xt::round((base * static_cast<float>(i % 17) + 0.1f * static_cast<float>(i % 5)) * 64) / 64;
    for (int i = 0; i < 2000; ++i) e.labels.push_back(i % 10);
    for (int i = 0; i < 5000; ++i) e.vocabulary.push_back("word" + std::to_string(i));
    for (int i = 0; i < 1000; ++i) e.losses.push_back(1.0 / (1 + i));
    return e;
}

int main() {
    using clock = std::chrono::steady_clock;
    const auto e = make_experiment();
    const auto dir = std::filesystem::temp_directory_path() / "brine-demo";
    std::filesystem::create_directories(dir);
    std::printf("%-6s %12s %8s %10s %10s  %s\n", "codec", "bytes", "ratio", "dump ms", "load ms", "equal");
    std::uintmax_t raw = 0;
    for (const auto& c : brine::codecs()) {
        const auto file = dir / ("experiment.brine" + std::string(c.extension));
        const auto t0 = clock::now();
        brine::dump(e, file);
        const auto t1 = clock::now();
        const auto back = brine::load<experiment>(file);
        const auto t2 = clock::now();
        const auto size = std::filesystem::file_size(file);
        if (!raw) raw = size;
        auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
        std::printf("%-6s %12ju %7.2fx %10.1f %10.1f  %s\n", std::string(c.name).c_str(), size,
                    static_cast<double>(raw) / static_cast<double>(size), ms(t1 - t0), ms(t2 - t1), back == e ? "yes" : "NO");
        if (!(back == e)) return 1;
    }
    // The same file, seen without its C++ type.
    const brine::value v = brine::load(dir / "experiment.brine");
    std::printf("\nas a brine::value: %s\n", brine::to_string(v["layers"][0], 6).c_str());
    std::filesystem::remove_all(dir);
}
