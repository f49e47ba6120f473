// brine::load: one call reads a whole object tree back, typed or as a
// brine::value. The codec is detected from the magic number.
#pragma once

#include <brine/api/detail/session.hpp>
#include <brine/serialize.hpp>
#include <brine/value/value.hpp>

#include <concepts>
#include <filesystem>
#include <istream>

namespace brine {

namespace detail {
template <class T, class Source>
T load_from(Source& src, const load_options& options) {
    detail::load_session session(src, options);
    T v{};
    load(session.reader(), v);
    session.finish();
    return v;
}
}  // namespace detail

template <serializable T>
    requires std::default_initializable<T>
T load(const std::filesystem::path& file, const load_options& options = {}) {
    return detail::load_from<T, const std::filesystem::path>(file, options);
}

template <serializable T>
    requires std::default_initializable<T>
T load(std::istream& in, const load_options& options = {}) {
    return detail::load_from<T>(in, options);
}

// The whole file as a dynamic tree.
value load(const std::filesystem::path& file, const load_options& options = {});
value load(std::istream& in, const load_options& options = {});

}  // namespace brine
