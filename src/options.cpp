#include <brine/options.hpp>

#include <algorithm>
#include <thread>

namespace brine {

unsigned resolve_threads(unsigned requested) noexcept {
    return requested ? requested : std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace brine
