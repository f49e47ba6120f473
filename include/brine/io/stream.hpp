// Adapters between the standard streams and brine's sinks and sources, so
// brine::dump / brine::load work on any std::ostream / std::istream (pipes,
// sockets, brine::codec_ostream ...).
#pragma once

#include <brine/io/sink.hpp>
#include <brine/io/source.hpp>

#include <iosfwd>
#include <string>

namespace brine::io {

class ostream_sink final : public sink {
public:
    explicit ostream_sink(std::ostream& out, std::string name = "<stream>") : out_(out), name_(std::move(name)) {}
    void write(std::span<const std::byte> bytes) override;
    void finish() override;  // flushes; does not close the stream
    std::string name() const override { return name_; }

private:
    std::ostream& out_;
    std::string name_;
};

class istream_source final : public source {
public:
    explicit istream_source(std::istream& in, std::string name = "<stream>") : in_(in), name_(std::move(name)) {}
    std::size_t read(std::span<std::byte> dst) override;
    std::string name() const override { return name_; }

private:
    std::istream& in_;
    std::string name_;
};

}  // namespace brine::io
