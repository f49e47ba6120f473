// Typed save/load through the record writer and reader, in memory, with each
// kind of source the reader meets (mapping, sized file, pipe).
#pragma once

#include "../format/source_kinds.hpp"

#include <brine/error.hpp>
#include <brine/format/reader.hpp>
#include <brine/format/writer.hpp>
#include <brine/io/memory.hpp>
#include <brine/serialize.hpp>
#include <brine/types/all.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace brine::test {

// The file bytes of one saved value (works for save-only types: views).
template <class T>
std::vector<std::byte> saved(const T& v) {
    io::memory_sink sink;
    format::writer w(sink);
    serializer<T>::save(w, v);
    w.finish();
    return std::move(sink).take();
}

// Builds a file by hand with the writer (mixed lists, foreign byte order...).
template <class Write>
std::vector<std::byte> written(Write&& write) {
    io::memory_sink sink;
    format::writer w(sink);
    write(w);
    w.finish();
    return std::move(sink).take();
}

template <class T>
T loaded(const std::vector<std::byte>& file, source_kind kind = source_kind::mapped) {
    auto source = make_source(kind, file);
    format::reader r(*source, load_options{});
    T v{};
    brine::load(r, v);
    r.finish();
    return v;
}

// Saves `v` as its own type and loads it back as `To` from every kind of
// source; returns the last one after checking they all agree.
template <class To, class From>
To converted(const From& v) {
    const auto file = saved(v);
    To first = loaded<To>(file, source_kind::mapped);
    for (auto kind : {source_kind::sized, source_kind::pipe}) CHECK(loaded<To>(file, kind) == first);
    return first;
}

template <class T>
T round_trip(const T& v) {
    return converted<T>(v);
}

// The message of the brine::type_error that loading `file` as T throws.
template <class T>
std::string load_error(const std::vector<std::byte>& file) {
    try {
        loaded<T>(file);
    } catch (const type_error& e) {
        return e.detail();
    }
    FAIL("loading did not throw brine::type_error");
    return {};
}

// The kind of the root record of a file: how generic tools will see it.
inline node_kind root_kind(const std::vector<std::byte>& file) {
    io::memory_source source(file);
    format::reader r(source, load_options{});
    return r.peek();
}

}  // namespace brine::test
