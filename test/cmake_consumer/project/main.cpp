// Dumps and loads a small tree through the installed brine: the headers, the
// library and its dependencies all come from brine::brine.
#include <brine/brine.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    const std::string file = std::string(argv[1]) + "/consumer.brine.zst";
    const std::map<std::string, std::vector<double>> tree{{"a", {1.5, 2.5}}, {"b", {}}};
    brine::dump(tree, file);
    const auto back = brine::load<std::map<std::string, std::vector<double>>>(file);
    const auto v = brine::load(file);
    if (back != tree || v["a"].as_array().size() != 2) {
        std::puts("consumer: round trip differs");
        return 1;
    }
    std::printf("consumer: %s\n", brine::to_string(v).c_str());
    return 0;
}
