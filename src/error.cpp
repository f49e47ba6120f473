#include <brine/error.hpp>

namespace brine {

namespace {
std::string compose(const location& where, const std::string& what) {
    std::string s = where.file.empty() ? std::string("<input>") : where.file;
    if (where.offset) s += ": offset " + std::to_string(*where.offset);
    return s + ": " + what;
}
}  // namespace

error::error(location where, const std::string& what)
    : std::runtime_error(compose(where, what)), where_(std::move(where)), detail_(what) {}

}  // namespace brine
