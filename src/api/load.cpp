#include <brine/api/load.hpp>
#include <brine/types/value.hpp>

namespace brine {

value load(const std::filesystem::path& file, const load_options& options) {
    return detail::load_from<value, const std::filesystem::path>(file, options);
}

value load(std::istream& in, const load_options& options) { return detail::load_from<value>(in, options); }

}  // namespace brine
