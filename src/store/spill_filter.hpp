// The place for transforms of a spilled value's bytes that come after the
// codec: on spill the brine record goes writer -> codec -> filters -> segment,
// on unspill segment -> filters -> codec -> reader. Each filter owns one bit
// of record_header::filters, so a record says which ones it went through and
// a store without the filter refuses it clearly. None ship yet; encryption
// (issue 16, spill_options::encryption) is meant to be the first.
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>

#include <cstdint>
#include <memory>

namespace brine::store {

class spill_filter {
public:
    virtual ~spill_filter() = default;
    // The bit of record_header::filters this filter sets.
    virtual std::uint8_t bit() const noexcept = 0;
    // A sink that transforms what it is given into `downstream`; its
    // finish() finishes downstream.
    virtual std::unique_ptr<io::sink> encode(io::sink& downstream) const = 0;
    // The inverse, over the stored bytes.
    virtual std::unique_ptr<io::source> decode(io::source& upstream) const = 0;
};

}  // namespace brine::store
