// Downstream smoke test: dump a small tree through a codec, load it back.
#include <brine/brine.hpp>

#include <xtensor/xtensor.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    const std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
    const auto file = dir / "consumer.brine.gz";

    std::map<std::string, std::vector<double>> tree{{"a", {1, 2, 3}}, {"b", {}}};
    brine::dump(tree, file);
    const auto back = brine::load<std::map<std::string, std::vector<double>>>(file);

    xt::xtensor<float, 2> arr = {{1.f, 2.f}, {3.f, 4.f}};
    brine::dump(arr, dir / "consumer-array.brine");
    const auto arr_back = brine::load<xt::xtensor<float, 2>>(dir / "consumer-array.brine");

    if (back != tree || arr_back != arr) {
        std::fprintf(stderr, "consumer: round trip mismatch\n");
        return 1;
    }
    std::printf("consumer: ok\n");
    return 0;
}
