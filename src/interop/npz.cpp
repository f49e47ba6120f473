// .npz files: a zip of .npy members, one per array (numpy.savez and
// numpy.savez_compressed).
#include "codec/opened_input.hpp"
#include "crypto/encrypted_io.hpp"
#include "interop/input_cursor.hpp"
#include "interop/npy_header.hpp"
#include "interop/zip_reader.hpp"
#include "interop/zip_writer.hpp"

#include <brine/interop/npy.hpp>
#include <brine/io/file.hpp>
#include <brine/io/memory.hpp>
#include <brine/io/stream.hpp>

#include <istream>

namespace brine::npz {

namespace {

constexpr std::string_view npy_suffix = ".npy";
// numpy's headers pad array data to 64 bytes; aligning the member's start
// to the same keeps that alignment in the archive, so mmap can borrow it.
constexpr std::size_t member_alignment = 64;

value member_value(std::span<const std::byte> data, std::shared_ptr<const void> owner, bool writable, const std::string& where,
                   const load_options& options, bool borrow) {
    if (!interop::starts_with_npy_magic(data)) return value(bytes(data.begin(), data.end()));
    io::memory_source src(io::mapped_bytes{std::move(owner), data, writable}, where);
    auto o = options;
    o.mmap = borrow ? (options.mmap == mmap_mode::read_only_or_load ? mmap_mode::read_only : options.mmap) : mmap_mode::none;
    return value(npy::load(src, o));
}

}  // namespace

value load(const io::mapped_bytes& zip, const std::string& name, const load_options& options) {
    const interop::zip_reader archive(zip.bytes, name);
    const bool borrow = options.mmap != mmap_mode::none;
    dict out;
    for (const auto& m : archive.members()) {
        const auto where = name + ":" + m.name;
        auto key = m.name.ends_with(npy_suffix) ? m.name.substr(0, m.name.size() - npy_suffix.size()) : m.name;
        if (m.method == 0) {
            const auto data = archive.stored(m);
            if (options.verify_checksums && !borrow) archive.check_crc(m, data);
            out.insert(std::move(key), member_value(data, zip.owner, zip.writable, where, options, borrow));
        } else {
            auto inflated = archive.inflate(m);
            if (options.verify_checksums) archive.check_crc(m, inflated.bytes());
            out.insert(std::move(key), member_value(inflated.bytes(), nullptr, false, where, options, false));
        }
    }
    return value(std::move(out));
}

// Input that cannot be mapped (a stream, an encrypted file): random access
// needs the whole archive, in memory that grows as bytes arrive.
static value load_whole(std::unique_ptr<io::source> raw, const std::string& name, const load_options& options) {
    const auto src = crypto::decrypt_if_encrypted(std::move(raw), options);
    std::vector<std::byte> all;
    std::byte chunk[1 << 16];
    for (;;) {
        const auto n = src->read(chunk);
        if (!n) break;
        all.insert(all.end(), chunk, chunk + n);
        if (options.max_bytes && all.size() > options.max_bytes)
            throw limit_error({name, all.size()}, "npz input larger than load_options::max_bytes");
    }
    auto owner = std::make_shared<std::vector<std::byte>>(std::move(all));
    auto o = options;
    o.mmap = mmap_mode::none;
    return load(io::mapped_bytes{owner, *owner, false}, name, o);
}

value load(const std::filesystem::path& file, const load_options& options) {
    // Not codec::opened_input: a zip is read from its end, so an unencrypted
    // one is mapped even without mmap (arrays are then copied out).
    if (const auto w = codec::probe_wrapping(file); w.encrypted) {
        if (codec::mapping_required(options.mmap)) codec::refuse_mapping({file.string(), 0}, w);
        return load_whole(std::make_unique<io::file_source>(file), file.string(), options);
    }
    // A zip is read from its end, so map it; without mmap, arrays are copied
    // out and the mapping goes away on return.
    const io::mapped_file mapping(file, options.mmap == mmap_mode::none || options.mmap == mmap_mode::read_only_or_load
                                            ? mmap_mode::read_only : options.mmap);
    return load(mapping.bytes(), file.string(), options);
}

value load(std::istream& in, const load_options& options) {
    codec::check_stream_mapping(options.mmap);
    return load_whole(std::make_unique<io::istream_source>(in), "<stream>", options);
}

void dump(const dict& arrays, io::sink& target, const dump_options& options) {
    const auto encryptor = crypto::encrypt_if_asked(target, nullptr, age::encryption{.recipients = options.recipients, .passphrase = options.passphrase});
    io::sink& out = encryptor ? *encryptor : target;
    interop::zip_writer zip(out, options.force_zip64);
    for (const auto& [name, v] : arrays) {
        if (!v.is_array()) throw type_error({out.name(), std::nullopt}, "npz member '" + name + "' is " + v.describe() + "; an npz holds arrays");
        const auto& a = v.as_array();
        const auto header = interop::npy_header(a.meta());
        const std::span<const std::byte> parts[] = {std::as_bytes(std::span(header.data(), header.size())), a.bytes()};
        const auto member = name + std::string(npy_suffix);
        if (options.compress) zip.add_deflated(member, parts, options.level.value_or(6));
        else zip.add_stored(member, parts, member_alignment);
    }
    zip.finish();
}

void dump(const dict& arrays, const std::filesystem::path& file, const dump_options& options) {
    crypto::require_keys_for(file, age::encryption{.recipients = options.recipients, .passphrase = options.passphrase});
    io::atomic_file_sink out(file);
    dump(arrays, out, options);
}

void dump(const dict& arrays, std::ostream& stream, const dump_options& options) {
    io::ostream_sink out(stream);
    dump(arrays, out, options);
}

}  // namespace brine::npz
