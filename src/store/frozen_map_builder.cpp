// Writes a frozen map: the header, then each entry as it is added (key
// record, value record), then, in finish(), the index built from the sorted
// (hash, offset) pairs, the superseded list and the trailer.
#include "format/constants.hpp"
#include "format/scalar_body.hpp"
#include "io/background_writer.hpp"
#include "store/frozen_map_format.hpp"
#include "store/frozen_map_sorter.hpp"

#include <brine/error.hpp>
#include <brine/format/writer.hpp>
#include <brine/io/file.hpp>
#include <brine/io/memory.hpp>
#include <brine/store/frozen_map.hpp>

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

namespace brine {

namespace {

namespace L = store::layout;

// Counts the bytes going to the file; a background thread hashes the current
// section and writes, so the caller only copies each entry into a block.
class section_sink final : public io::sink {
public:
    explicit section_sink(io::atomic_file_sink& out)
        : out_(out), pipe_([this](std::span<const std::byte> block) {
              hash_.update(block.data(), block.size());
              out_.write(block);
          }, block_size, 4) {}
    void write(std::span<const std::byte> bytes) override {
        pipe_.write(bytes);
        offset_ += bytes.size();
    }
    // Everything written is in the file; the file itself is finished by its owner.
    void finish() override { pipe_.drain(); }
    std::string name() const override { return out_.name(); }
    std::uint64_t offset() const noexcept { return offset_; }
    // Ends the current section: its hash, and a fresh one for the next.
    std::uint64_t next_section() {
        pipe_.drain();
        const auto h = hash_.digest();
        hash_.reset();
        return h;
    }
    // Everything written so far is in the file (for reading it back).
    void flush() {
        pipe_.drain();
        out_.flush();
    }

private:
    io::atomic_file_sink& out_;
    format::hasher hash_;  // touched by the background thread between drains
    std::uint64_t offset_ = 0;
    // 512 KiB: at 64 KiB, 10 M float32[64] values (3.2 GB) cost 50 000
    // hand-overs, each a wake-up of the other thread, and the build took
    // 6.2-6.4 s against 3.7-4.2 s; 256 KiB and 1 MiB measured in between.
    // Scalar maps show no difference (docs/performance.md).
    static constexpr std::size_t block_size = 512 << 10;
    io::background_writer pipe_;  // last: stopped before the hash and the file go
};

// A memory sink that can be emptied for the next value.
class value_buffer final : public io::sink {
public:
    void write(std::span<const std::byte> bytes) override { bytes_.insert(bytes_.end(), bytes.begin(), bytes.end()); }
    void finish() override {}
    std::string name() const override { return "<value buffer>"; }
    std::vector<std::byte>& bytes() noexcept { return bytes_; }

private:
    std::vector<std::byte> bytes_;
};

std::filesystem::path directory_of(const std::filesystem::path& p) {
    auto dir = p.parent_path();
    return dir.empty() ? std::filesystem::path(".") : dir;
}

}  // namespace

struct frozen_map_builder::impl {
    std::string name;
    frozen_map_options options;
    io::atomic_file_sink file;
    section_sink out{file};
    store::frozen_map_sorter sorter;
    format::writer direct{out, format::writer::fragments};
    value_buffer buffer;  // compress_above > 0: the current value, to decide
    std::optional<format::writer> buffered;
    std::vector<std::byte> key_record;  // buffered values: the flags byte, then the key record
    std::uint64_t entry_offset = 0, added = 0;
    bool in_value = false, broken = false, finished = false;

    impl(const std::filesystem::path& target, const frozen_map_options& o)
        : name(target.string()), options(o), file(target, o.durable),
          sorter(o.temp_dir.empty() ? directory_of(target) : o.temp_dir, o.memory_limit, target.string()) {
        if (options.compress_above) buffered.emplace(buffer, format::writer::fragments);
        const auto h = L::encode_header();
        out.write(h);
        out.next_section();  // the data hash starts after the header
    }

    [[noreturn]] void misuse(const std::string& what) const {
        throw error({name, std::nullopt}, "frozen_map_builder: " + what);
    }

    std::size_t start_entry(const frozen_key& key, std::byte* head);

    // key_record[0] is the entry's flags byte, then the key record.
    void write_entry_head(std::uint8_t flags) {
        key_record[0] = std::byte{flags};
        out.write(key_record);
    }

    // The buffered value: compressed when large enough (and allowed), else raw.
    void flush_buffered() {
        auto& raw = buffer.bytes();
        const bool has_arrays = std::ranges::any_of(buffered->contents().entries(),
                                                    [](const auto& e) { return e.kind == node_kind::array; });
        if (raw.size() >= options.compress_above && (options.compress_arrays || !has_arrays)) {
            std::vector<std::byte> packed(ZSTD_compressBound(raw.size()));
            const auto n = ZSTD_compress(packed.data(), packed.size(), raw.data(), raw.size(), options.level);
            if (ZSTD_isError(n)) misuse(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
            if (n < raw.size()) {
                write_entry_head(L::entry_compressed);
                std::byte head[1 + 2 * format::v1::max_varint_bytes];
                head[0] = raw[0];  // the value's tag, so its kind is known without decoding
                auto len = 1 + format::put_varint(head + 1, raw.size());
                len += format::put_varint(head + len, n);
                out.write({head, len});
                out.write({packed.data(), n});
                raw.clear();
                return;
            }
        }
        write_entry_head(0);
        out.write(raw);
        raw.clear();
    }
};

frozen_map_builder::frozen_map_builder(const std::filesystem::path& file, const frozen_map_options& options)
    : impl_(std::make_unique<impl>(file, options)) {}
frozen_map_builder::~frozen_map_builder() = default;

std::uint64_t frozen_map_builder::added() const noexcept { return impl_->added; }

// Checks the builder can take an entry, adds its index pair, and writes its
// key record (after the flags byte) into `head`; returns that record's length
// up to the key's bytes, which follow it.
std::size_t frozen_map_builder::impl::start_entry(const frozen_key& key, std::byte* head) {
    if (finished) misuse("add() after finish()");
    if (broken || in_value) {
        broken = true;
        misuse("a previous value failed half-way; the map cannot be finished");
    }
    entry_offset = out.offset();
    sorter.add({L::key_hash(key), entry_offset});
    head[0] = std::byte{0};  // flags; compressed values set theirs when written
    return 1 + L::encode_key_head(key, head + 1);
}

format::writer& frozen_map_builder::begin_value(const frozen_key& key) {
    auto& d = *impl_;
    std::byte head[L::max_key_head + 1];
    const auto n = d.start_entry(key, head);
    d.in_value = true;
    d.broken = true;  // until end_value()
    const auto key_bytes = std::as_bytes(std::span(key.data()));
    // The value's stream offset if it is stored raw: arrays are padded for it.
    const auto value_offset = d.entry_offset + n + key_bytes.size();
    if (d.buffered) {
        d.key_record.assign(head, head + n);
        d.key_record.insert(d.key_record.end(), key_bytes.begin(), key_bytes.end());
        d.buffered->start_fragment(value_offset);
        return *d.buffered;
    }
    d.out.write({head, n});
    d.out.write(key_bytes);
    d.direct.start_fragment(value_offset);
    return d.direct;
}

// One copy into the output for a short key and a scalar: the seed's ids.
void frozen_map_builder::add_scalar(const frozen_key& key, const scalar& value) {
    auto& d = *impl_;
    constexpr std::size_t short_key = 64;
    if (d.buffered || key.data().size() > short_key) {
        auto& w = begin_value(key);
        w.write_scalar(value);
        end_value();
        return;
    }
    std::byte entry[1 + L::max_key_head + short_key + format::max_scalar_record];
    auto n = d.start_entry(key, entry);
    if (!key.data().empty()) {  // integer keys have no bytes (and a null data())
        std::memcpy(entry + n, key.data().data(), key.data().size());
        n += key.data().size();
    }
    n += format::put_scalar_record(entry + n, value);
    d.out.write({entry, n});
    ++d.added;
}

void frozen_map_builder::end_value() {
    auto& d = *impl_;
    if (!d.in_value) d.misuse("end_value() without begin_value()");
    if (d.buffered) {
        d.buffered->end_fragment();
        d.flush_buffered();
    } else {
        d.direct.end_fragment();
    }
    d.in_value = false;
    d.broken = false;
    ++d.added;
}

void frozen_map_builder::finish() {
    auto& d = *impl_;
    if (d.finished) return;
    if (d.broken || d.in_value) d.misuse("finish() after a value failed half-way");
    d.finished = true;

    L::trailer t;
    t.data_end = d.out.offset();
    t.data_hash = d.out.next_section();
    static constexpr std::byte zeros[L::alignment] = {};
    d.out.write({zeros, static_cast<std::size_t>(L::align_up(t.data_end) - t.data_end)});
    d.out.next_section();
    t.index_offset = d.out.offset();
    const auto n = d.sorter.count();
    t.home_slots = n == 0 ? 0 : std::max<std::uint64_t>(1, static_cast<std::uint64_t>(
                                                                (static_cast<L::uint128>(n) * L::home_slots_per_100_keys + 99) / 100));

    // Keys with equal hashes are read back from the file to compare them.
    d.out.flush();
    std::optional<io::file_source> written;
    auto read_key = [&](std::uint64_t offset) {
        if (!written) written.emplace(d.file.temporary_path());
        const auto limit = t.data_end - offset - 1;  // the key record lies within the data
        std::vector<std::byte> rec(static_cast<std::size_t>(std::min<std::uint64_t>(11, limit)));
        written->read_at(offset + 1, rec);
        if (!rec.empty() && rec[0] != std::byte{L::tag_scalar}) {
            const auto len = format::get_varint(rec.data() + 1, rec.data() + rec.size());
            if (len.length && len.length != format::varint_malformed && len.value <= limit - 1 - len.length) {
                rec.resize(1 + len.length + static_cast<std::size_t>(len.value));
                written->read_at(offset + 1, rec);
            }
        }
        L::parsed_key k;
        if (const char* bad = L::parse_key(rec.data(), rec.data() + rec.size(), k))
            throw corrupt_error({d.name, offset + 1}, std::string("reading back the key: expected ") + bad);
        rec.resize(k.length);
        return rec;
    };

    std::vector<std::uint64_t> superseded;
    // Slots are stored into a block, written 64 KiB at a time.
    std::vector<std::byte> slots(64 << 10);
    std::size_t slots_used = 0;
    std::uint64_t next_slot = 0;
    auto flush_slots = [&] {
        d.out.write({slots.data(), slots_used});
        slots_used = 0;
    };
    auto put_slot = [&](std::uint64_t hash, std::uint64_t offset) {
        if (slots_used == slots.size()) flush_slots();
        L::store_u64(slots.data() + slots_used, hash);
        L::store_u64(slots.data() + slots_used + 8, offset);
        slots_used += L::slot_size;
        ++next_slot;
    };
    auto emit = [&](const store::hashed_offset& p) {
        // Sorted by hash, so by home slot: each entry goes to the first free
        // slot at or after its home, and every slot in between is taken.
        const auto home = L::home_slot(p.hash, t.home_slots);
        while (next_slot < home) put_slot(0, 0);
        put_slot(p.hash, p.offset);
        ++t.entry_count;
    };
    std::vector<store::hashed_offset> group;  // equal hashes, by offset
    auto resolve = [&] {
        if (group.size() > 1) {
            std::vector<std::vector<std::byte>> keys;
            for (const auto& g : group) keys.push_back(read_key(g.offset));
            std::vector<bool> dead(group.size());
            for (std::size_t i = 0; i < group.size(); ++i)
                for (std::size_t j = i + 1; j < group.size() && !dead[i]; ++j) {
                    if (keys[i] != keys[j]) continue;
                    if (d.options.duplicates == duplicate_keys::error) {
                        L::parsed_key k;
                        L::parse_key(keys[i].data(), keys[i].data() + keys[i].size(), k);
                        throw error({d.name, group[j].offset}, "duplicate key " + k.view().describe() +
                                                                   " (added at entry offsets " + std::to_string(group[i].offset) +
                                                                   " and " + std::to_string(group[j].offset) + ")");
                    }
                    dead[i] = true;  // a later one with the same key wins
                }
            for (std::size_t i = 0; i < group.size(); ++i) {
                if (dead[i]) superseded.push_back(group[i].offset);
                else emit(group[i]);
            }
        } else if (!group.empty()) {
            emit(group[0]);
        }
        group.clear();
    };
    d.sorter.merge([&](std::span<const store::hashed_offset> batch) {
        for (const auto& p : batch) {
            if (!group.empty() && group.front().hash != p.hash) resolve();
            group.push_back(p);
        }
    });
    resolve();
    while (next_slot < t.home_slots) put_slot(0, 0);
    flush_slots();
    t.slot_count = next_slot;
    t.index_hash = d.out.next_section();

    std::sort(superseded.begin(), superseded.end());
    std::vector<std::byte> list(superseded.size() * 8);
    for (std::size_t i = 0; i < superseded.size(); ++i) L::store_u64(list.data() + 8 * i, superseded[i]);
    d.out.write(list);
    t.superseded_count = superseded.size();
    t.superseded_hash = d.out.next_section();
    d.out.write(t.encode());
    d.out.finish();
    d.file.finish();
}

}  // namespace brine
