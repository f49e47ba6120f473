// The encrypting sink and the decrypting source of <brine/crypto/age.hpp>.
// Both cut the payload into batches of chunks_per_batch chunks and run the
// cipher on the codec layer's ordered_work pool: at most threads + 1 batches
// are in flight, so memory stays constant whatever the file's size, and the
// output keeps its order.
#include "codec/backend.hpp"
#include "codec/ordered_work.hpp"
#include "crypto/age_stream.hpp"
#include "crypto/age_header.hpp"
#include "crypto/age_keys.hpp"
#include "crypto/armor.hpp"
#include "crypto/payload.hpp"

#include <brine/crypto/age.hpp>
#include <brine/error.hpp>
#include <brine/options.hpp>

#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace brine {
namespace crypto {
namespace {

constexpr std::size_t plain_batch = chunk_size * chunks_per_batch;
constexpr std::size_t sealed_batch = sealed_chunk_size * chunks_per_batch;

// Buffers the cipher fills whole: left uninitialized, not zeroed first.
using buffer = codec::bytes;

struct batch {
    buffer in, out;
};

class encrypting final : public io::sink {
public:
    encrypting(io::sink& downstream, const sealed_header& sealed, unsigned threads)
        : downstream_(downstream), threads_(resolve_threads(threads)), work_(threads_) {
        std::array<unsigned char, payload_nonce_size> nonce;
        randombytes_buf(nonce.data(), nonce.size());
        key_ = derive_payload_key(sealed.key, nonce);
        downstream_.write(std::as_bytes(std::span(sealed.text)));
        downstream_.write(std::as_bytes(std::span(nonce)));
        // No batch-sized buffer up front: a small file (a spilled value)
        // needs only its own size.
    }

    void write(std::span<const std::byte> data) override {
        if (finished_) throw io_error({name(), std::nullopt}, "write after finish");
        while (!data.empty()) {
            // A full batch goes only when more data follows: until then its
            // last chunk may be the final one.
            if (current_.size() == plain_batch) dispatch(false);
            const std::size_t n = std::min(data.size(), plain_batch - current_.size());
            current_.insert(current_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
            data = data.subspan(n);
        }
    }

    void finish() override {
        if (finished_) return;
        finished_ = true;
        dispatch(true);
        while (work_.pending()) write_oldest();
        downstream_.finish();
    }

    std::string name() const override { return downstream_.name(); }

private:
    void dispatch(bool final) {
        while (work_.pending() > threads_) write_oldest();
        batch b{std::move(current_), free_.empty() ? buffer{} : std::move(free_.back())};
        if (!free_.empty()) free_.pop_back();
        current_ = free_.empty() ? buffer{} : std::move(free_.back());
        if (!free_.empty()) free_.pop_back();
        current_.clear();
        current_.reserve(plain_batch);
        const std::uint64_t first = next_chunk_;
        const std::size_t chunks = final ? std::max<std::size_t>(1, (b.in.size() + chunk_size - 1) / chunk_size)
                                         : b.in.size() / chunk_size;
        next_chunk_ += chunks;
        const payload_key* key = &key_;
        work_.submit([key, first, chunks, final, b = std::move(b)]() mutable {
            b.out.resize(b.in.size() + chunks * tag_size);
            for (std::size_t i = 0; i < chunks; ++i) {
                const std::size_t begin = i * chunk_size, size = std::min(chunk_size, b.in.size() - begin);
                seal_chunk(*key, first + i, final && i + 1 == chunks, std::span(b.in).subspan(begin, size),
                           b.out.data() + i * sealed_chunk_size);
            }
            return std::move(b);
        });
    }

    void write_oldest() {
        batch b = work_.next();
        downstream_.write(b.out);
        sodium_memzero(b.in.data(), b.in.size());  // plaintext does not linger in freed memory
        if (free_.size() < 4) {
            free_.push_back(std::move(b.in));
            free_.push_back(std::move(b.out));
        }
    }

    io::sink& downstream_;
    unsigned threads_;
    payload_key key_;
    buffer current_;
    std::vector<buffer> free_;
    std::uint64_t next_chunk_ = 0;
    bool finished_ = false;
    codec::ordered_work<batch> work_;  // last: its workers stop before the key goes
};

class decrypting final : public io::source {
public:
    decrypting(io::source& upstream, const header_opener& open_key, unsigned threads)
        : name_(upstream.name()), threads_(resolve_threads(threads)), work_(threads_) {
        in_ = &upstream;
        std::vector<std::byte> head(age::magic_bytes);
        std::size_t have = fill(head);
        head.resize(have);
        if (have >= armor_begin.size() && std::memcmp(head.data(), armor_begin.data(), armor_begin.size()) == 0) {
            replay_prefix_ = std::move(head);
            armor_ = dearmoring_source(prefixed_);
            in_ = armor_.get();
            head.assign(age::magic_bytes, std::byte{});
            head.resize(fill_from_armor(head));
            have = head.size();
        }
        // The header: read until it parses whole.
        std::optional<age_header> header;
        while (!(header = parse_age_header(head, name_))) {
            const std::size_t old = head.size();
            head.resize(old + 4096);
            const std::size_t got = read_upstream(std::span(head).subspan(old));
            head.resize(old + got);
            if (!got) throw truncated_error({name_, head.size()}, "the file ends inside its age header");
        }
        const file_key fk = open_key(*header, std::span(head).first(header->size), name_);
        // What followed the header is the nonce and the first chunks.
        leftover_.assign(head.begin() + static_cast<std::ptrdiff_t>(header->size), head.end());
        std::array<unsigned char, payload_nonce_size> nonce;
        if (take(std::as_writable_bytes(std::span(nonce))) != nonce.size())
            throw truncated_error({name_, header->size}, "the file ends before the age payload's 16-byte nonce");
        key_ = derive_payload_key(fk, nonce);
        payload_offset_ = header->size + payload_nonce_size;
    }

    ~decrypting() override {
        // Batches still in flight hold plaintext too: wait for them (a few
        // at most) and wipe everything.
        while (work_.pending()) {
            try {
                batch b = work_.next();
                wipe(b.out);
            } catch (...) {  // a chunk that failed authentication holds no plaintext
            }
        }
        for (auto& b : spare_out_) wipe(b);
        wipe(plain_);
    }

    std::size_t read(std::span<std::byte> dst) override {
        std::size_t n = 0;
        while (n < dst.size()) {
            if (pos_ == plain_.size() && !next_batch()) break;
            const std::size_t k = std::min(dst.size() - n, plain_.size() - pos_);
            std::memcpy(dst.data() + n, plain_.data() + pos_, k);
            pos_ += k;
            n += k;
        }
        return n;
    }
    // The ciphertext left bounds the plaintext left.
    std::optional<std::uint64_t> remaining() const override { return input_left(); }
    std::optional<std::uint64_t> input_left() const override {
        if (auto r = in_->input_left()) return *r + leftover_.size() + (plain_.size() - pos_) + pending_bytes_;
        return std::nullopt;
    }
    std::string name() const override { return name_; }

private:
    // The bytes before the armor check, served again to the armor reader.
    struct prefixed final : io::source {
        decrypting& self;
        explicit prefixed(decrypting& s) : self(s) {}
        std::size_t read(std::span<std::byte> dst) override {
            std::size_t n = 0;
            if (self.replay_pos_ < self.replay_prefix_.size()) {
                n = std::min(dst.size(), self.replay_prefix_.size() - self.replay_pos_);
                std::memcpy(dst.data(), self.replay_prefix_.data() + self.replay_pos_, n);
                self.replay_pos_ += n;
            }
            while (n < dst.size()) {
                const auto got = self.raw_->read(dst.subspan(n));
                if (!got) break;
                n += got;
            }
            return n;
        }
        std::optional<std::uint64_t> input_left() const override {
            if (auto r = self.raw_->input_left()) return *r + self.replay_prefix_.size() - self.replay_pos_;
            return std::nullopt;
        }
        std::string name() const override { return self.raw_->name(); }
    };

    std::size_t fill(std::span<std::byte> dst) {
        raw_ = in_;
        return read_upstream(dst);
    }
    std::size_t fill_from_armor(std::span<std::byte> dst) { return read_upstream(dst); }

    std::size_t read_upstream(std::span<std::byte> dst) {
        std::size_t n = 0;
        while (n < dst.size()) {
            const auto got = in_->read(dst.subspan(n));
            if (!got) break;
            n += got;
        }
        return n;
    }
    // Reads payload bytes: what the header read left over first.
    std::size_t take(std::span<std::byte> dst) {
        std::size_t n = std::min(dst.size(), leftover_.size() - leftover_pos_);
        std::memcpy(dst.data(), leftover_.data() + leftover_pos_, n);
        leftover_pos_ += n;
        if (leftover_pos_ == leftover_.size()) {
            leftover_.clear();
            leftover_pos_ = 0;
        }
        return n + read_upstream(dst.subspan(n));
    }

    // Reads the next batch of sealed chunks; a one-byte lookahead tells
    // whether its last chunk is the file's last.
    void submit_one() {
        batch b;
        if (!spare_in_.empty()) {
            b.in = std::move(spare_in_.back());
            spare_in_.pop_back();
        }
        if (!spare_out_.empty()) {
            b.out = std::move(spare_out_.back());
            spare_out_.pop_back();
        }
        // Whole chunks covering what is left (plus the lookahead byte), at
        // most a batch: a small file needs no batch-sized buffer, and a
        // batch read short of `want` is the end of the file whatever the
        // estimate said.
        std::size_t want = sealed_batch;
        if (const auto left = input_left())
            want = static_cast<std::size_t>(std::min<std::uint64_t>(sealed_batch, (*left + sealed_chunk_size) / sealed_chunk_size * sealed_chunk_size));
        b.in.resize(want);
        std::size_t got = 0;
        if (lookahead_) {
            b.in[0] = *lookahead_;
            lookahead_.reset();
            got = 1;
        }
        got += take(std::span(b.in).subspan(got));
        b.in.resize(got);
        bool final = got < want;
        if (!final) {
            std::byte next;
            if (take(std::span(&next, 1)) == 1) lookahead_ = next;
            else final = true;
        }
        input_done_ = final;
        const std::uint64_t first = next_chunk_;
        const std::size_t chunks = (got + sealed_chunk_size - 1) / sealed_chunk_size;
        next_chunk_ += chunks;
        if (chunks == 0) {
            // Nothing after the nonce (or after a batch that ended exactly
            // at a chunk boundary without a final chunk).
            const std::uint64_t at = payload_offset_ + first * sealed_chunk_size;
            if (first == 0) throw truncated_error({name_, at}, "the age payload has no chunk: the file is truncated");
        }
        pending_bytes_ += got;
        const payload_key* key = &key_;
        const std::string* name = &name_;
        const std::uint64_t base = payload_offset_;
        work_.submit([key, name, base, first, chunks, final, b = std::move(b)]() mutable {
            b.out.resize(chunks * chunk_size);
            std::size_t plain = 0;
            for (std::size_t i = 0; i < chunks; ++i) {
                const std::size_t begin = i * sealed_chunk_size, size = std::min(sealed_chunk_size, b.in.size() - begin);
                const std::uint64_t index = first + i;
                plain += open_chunk(*key, index, final && i + 1 == chunks, std::span(b.in).subspan(begin, size),
                                    b.out.data() + plain, {*name, base + index * sealed_chunk_size});
            }
            b.out.resize(plain);
            return std::move(b);
        });
    }

    // Decrypted buffers are reused for the batches that follow, whose
    // plaintext overwrites theirs; one is wiped when it is retired (here,
    // or in the destructor), not after every batch on the reading thread.
    bool next_batch() {
        if (plain_.capacity()) retire_plain(std::move(plain_));
        plain_ = {};
        pos_ = 0;
        while (!input_done_ && work_.pending() <= threads_ + 1) submit_one();
        if (!work_.pending()) return false;
        batch b = work_.next();
        pending_bytes_ -= b.in.size();
        if (spare_in_.size() < max_spares) spare_in_.push_back(std::move(b.in));
        plain_ = std::move(b.out);
        return true;
    }

    void retire_plain(buffer b) {
        if (spare_out_.size() < max_spares) spare_out_.push_back(std::move(b));
        else wipe(b);
    }
    // The whole allocation: a shorter batch may have left older plaintext
    // behind its end.
    static void wipe(buffer& b) {
        b.resize(b.capacity());
        sodium_memzero(b.data(), b.size());
    }

    static constexpr std::size_t max_spares = 4;

    std::string name_;
    io::source* in_ = nullptr;   // the binary age file: upstream, or the armor decoder
    io::source* raw_ = nullptr;  // upstream itself
    std::vector<std::byte> replay_prefix_;
    std::size_t replay_pos_ = 0;
    prefixed prefixed_{*this};
    std::unique_ptr<io::source> armor_;
    std::vector<std::byte> leftover_;
    std::size_t leftover_pos_ = 0;
    std::optional<std::byte> lookahead_;
    payload_key key_;
    std::uint64_t payload_offset_ = 0, next_chunk_ = 0, pending_bytes_ = 0;
    bool input_done_ = false;
    unsigned threads_;
    buffer plain_;
    std::size_t pos_ = 0;
    std::vector<buffer> spare_in_, spare_out_;
    codec::ordered_work<batch> work_;  // last: its workers stop before the rest goes
};

}  // namespace

std::unique_ptr<io::sink> encrypting_sink(io::sink& downstream, const sealed_header& header, unsigned threads) {
    return std::make_unique<encrypting>(downstream, header, threads);
}

std::unique_ptr<io::source> decrypting_source(io::source& upstream, const sealed_header& header, unsigned threads) {
    require_sodium();
    return std::make_unique<decrypting>(
        upstream,
        [&header](const age_header&, std::span<const std::byte> bytes, const std::string& name) {
            if (bytes.size() != header.text.size() || std::memcmp(bytes.data(), header.text.data(), bytes.size()) != 0)
                throw decryption_error({name, 0}, "the age header is not the one this key belongs to (written by another store or session)");
            return header.key;
        },
        threads);
}

}  // namespace crypto

namespace age {

bool is_encrypted(std::span<const std::byte> prefix) noexcept {
    auto starts = [&](std::string_view magic) {
        return prefix.size() >= magic.size() && std::memcmp(prefix.data(), magic.data(), magic.size()) == 0;
    };
    return starts("age-encryption.org/") || starts(crypto::armor_begin);
}

bool has_age_extension(const std::filesystem::path& p) { return p.extension() == ".age"; }

std::filesystem::path without_age_extension(const std::filesystem::path& p) {
    if (!has_age_extension(p)) return p;
    auto out = p;
    out.replace_extension();
    return out;
}

std::unique_ptr<io::sink> encrypting_sink(io::sink& downstream, const encryption& keys) {
    return crypto::encrypting_sink(downstream, crypto::seal_header(keys, downstream.name()), keys.threads);
}

std::unique_ptr<io::source> decrypting_source(io::source& upstream, const decryption& keys) {
    crypto::require_sodium();
    return std::make_unique<crypto::decrypting>(
        upstream,
        [&keys](const crypto::age_header& h, std::span<const std::byte> bytes, const std::string& name) {
            return crypto::open_header(h, bytes, keys, name);
        },
        keys.threads);
}

}  // namespace age
}  // namespace brine
