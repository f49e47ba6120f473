// How C++ types map onto records: one brine::serializer<T> per type, found
// by the typed dump/load templates. Support for standard and xtensor types
// lives in brine/types/ (one header per standard header, as cereal does);
// user types opt in with one customization point (brine/types/fields.hpp).
//
// A specialization provides:
//   static void save(format::writer& w, const T& v);   // exactly one value
//   static void load(format::reader& r, T& v);         // exactly one value
//   static std::string type_name();                    // for error messages
// `load` may assume `v` is default-constructed (or the struct field's default).
#pragma once

#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>

#include <string>

namespace brine {

template <class T> struct serializer;

template <class T>
concept serializable = requires(format::writer& w, format::reader& r, const T& cv, T& v) {
    serializer<T>::save(w, cv);
    serializer<T>::load(r, v);
    { serializer<T>::type_name() } -> std::convertible_to<std::string>;
};

// Save-only types (xtensor views and expressions) are saveable, not serializable.
template <class T>
concept saveable = requires(format::writer& w, const T& cv) { serializer<T>::save(w, cv); };

template <saveable T> void save(format::writer& w, const T& v) { serializer<T>::save(w, v); }
template <serializable T> void load(format::reader& r, T& v) { serializer<T>::load(r, v); }
template <serializable T> std::string type_name() { return serializer<T>::type_name(); }

}  // namespace brine
