// The spill store engine. One mutex guards the table of entries
// (spill_index) and the counters; I/O never runs under it. A second mutex
// serialises appends to segments (the background writer, values written
// straight to disk, and compaction); it is always taken before the first,
// never after.
//
// An entry is in one of these states:
//   resident dirty   value in memory, no disk copy           (in the eviction list)
//   resident clean   value in memory and a valid disk copy   (in the eviction list)
//   writing          value in memory, queued for the writer  (not in the list)
//   on disk          only the disk copy (or the attached file)
// Evicting a clean value drops it (no rewrite); a dirty one goes to the
// writer's queue and leaves memory once written. memory_bytes counts every
// value the map holds, queued ones included, so the budget always holds.
#include "format/hasher.hpp"
#include "store/spill_directory.hpp"
#include "store/spill_encryption.hpp"
#include "store/spill_index.hpp"
#include "store/spill_segment.hpp"
#include "store/spill_segment_file.hpp"
#include "store/spill_value_io.hpp"

#include <brine/api/identify.hpp>
#include <brine/api/detail/session.hpp>
#include <brine/codec/codec.hpp>
#include <brine/error.hpp>
#include <brine/store/spill_store.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace brine::store {

namespace fs = std::filesystem;

namespace {

struct job {
    record_kind kind;
    std::string key;
    std::uint64_t seq;
    value_ptr value;
    std::uint64_t weight;
    bool keep;  // flush: stays resident once written
};

struct segment_state {
    std::shared_ptr<segment_file> file;
    std::uint64_t live = 0;
    bool synced = true;
};

struct held_value {
    std::weak_ptr<const void> value;
    std::uint64_t weight;
};


std::string quoted(std::string_view key) { return "key \"" + std::string(key.substr(0, 200)) + (key.size() > 200 ? "...\"" : "\""); }

}  // namespace

struct spill_store::impl {
    spill_options opt;
    value_functions fn;
    spill_directory dir;
    filter_list filters;  // applied after the codec: encryption (spill_encryption.hpp)
    int level;
    std::uint64_t queue_cap, segment_cap;

    mutable std::mutex m;
    std::condition_variable changed;  // queue, completions, failures
    spill_index entries;
    entry_id head = no_entry;  // most recently used
    entry_id tail = no_entry;  // least recently used
    // Rare states, kept beside the table so that its records stay small:
    // values out of the map that a caller still holds (with their weight),
    // and entries that name a user's file.
    std::unordered_map<entry_id, held_value> caller_held;
    std::unordered_map<entry_id, std::shared_ptr<const fs::path>> attached;
    std::deque<job> queue;
    std::uint64_t queued_bytes = 0;
    int in_flight = 0;
    bool stopping = false;
    std::uint64_t next_seq = 1;
    std::uint64_t next_segment = 1;  // (append_m) ids are never reused: a disk location names one record for good
    // Records appended on a caller's thread between their seq and their
    // registration (caller_append), and the seqs of the tombstones of keys
    // erased meanwhile; both under m.
    int caller_appends = 0;
    std::unordered_map<std::string, std::uint64_t> erased_meanwhile;
    std::uint64_t failures = 0;
    std::exception_ptr last_failure;
    std::vector<held_value> held;
    std::map<std::uint32_t, segment_state> segments;  // guarded by m (the table); files appended under append_m
    std::uint32_t active = 0;                        // segment appended to (0: none yet)
    spill_stats st;

    std::mutex append_m;
    std::thread writer;

    impl(const spill_options& o, value_functions f) : opt(o), fn(std::move(f)), dir(o) {
        level = opt.level.value_or(info(opt.codec).default_level);
        queue_cap = opt.queue_bytes ? opt.queue_bytes : std::max<std::uint64_t>(1, std::min<std::uint64_t>(opt.memory_limit / 8, 64ull << 20));
        segment_cap = opt.segment_bytes ? opt.segment_bytes
                                        : std::min<std::uint64_t>(64ull << 20, std::max<std::uint64_t>(1ull << 20, opt.disk_limit / 8));
        if (auto f = make_encryption_filter(opt, dir)) filters.push_back(std::move(f));
        if (opt.persist || opt.read_only) recover();
        if (!opt.read_only) writer = std::thread([this] { write_loop(); });
    }

    ~impl() {
        if (opt.persist && !opt.read_only) {
            try {
                flush();
            } catch (...) {
                // Destructors do not throw; what was flushed before is safe.
            }
        }
        {
            std::lock_guard lk(m);
            stopping = true;
        }
        changed.notify_all();
        if (writer.joinable()) writer.join();
    }

    // --- the eviction list (O(1)) ---------------------------------------------

    resident& state(entry_id id) noexcept { return *entries.find_resident(id); }
    bool has_value(entry_id id) const noexcept {
        const auto* r = entries.find_resident(id);
        return r && r->value;
    }
    // In memory without a valid copy on disk: must be written before it leaves.
    bool dirty(entry_id id) const noexcept { return has_value(id) && !entries.disk(id) && !attached.contains(id); }

    void unlink(entry_id id) {
        auto* r = entries.find_resident(id);
        if (!r || !r->linked) return;
        (r->prev != no_entry ? state(r->prev).next : head) = r->next;
        (r->next != no_entry ? state(r->next).prev : tail) = r->prev;
        r->prev = r->next = no_entry;
        r->linked = false;
    }
    // Links the entry at the front (most recent) or the back of the list.
    void link_at(entry_id id, bool front) {
        unlink(id);
        auto& r = state(id);
        auto& end = front ? head : tail;
        auto& other_end = front ? tail : head;
        entry_id resident::*toward_end = front ? &resident::prev : &resident::next;
        entry_id resident::*away = front ? &resident::next : &resident::prev;
        r.*away = end;
        if (end != no_entry) state(end).*toward_end = id;
        end = id;
        if (other_end == no_entry) other_end = id;
        r.linked = true;
    }
    void link_front(entry_id id) { link_at(id, true); }
    void link_back(entry_id id) { link_at(id, false); }
    entry_id victim(entry_id spare) noexcept {
        if (opt.policy == eviction::lru) return tail != spare ? tail : (tail != no_entry ? state(tail).prev : no_entry);
        return head != spare ? head : (head != no_entry ? state(head).next : no_entry);
    }

    // --- memory accounting ----------------------------------------------------

    // `seq`: the value's; 0 for one read back from disk, which no job for
    // the writer has and which is below any record a caller is appending.
    // `older_record`: see resident.
    void make_resident(entry_id id, value_ptr v, std::uint64_t w, std::uint64_t seq, bool older_record) {
        auto& r = entries.make_resident(id);
        r.value = std::move(v);
        r.weight = w;
        r.seq = seq;
        r.older_record = older_record;
        caller_held.erase(id);
        st.memory_bytes += w;
        ++st.entries_in_memory;
        link_front(id);
    }
    // The value leaves the map; a caller may still hold it.
    void release_value(entry_id id) {
        unlink(id);
        auto* r = entries.find_resident(id);
        if (!r) return;
        if (r->value) {
            if (r->value.use_count() > 1) {
                caller_held[id] = {r->value, r->weight};
                remember_held(r->value, r->weight);
            }
            st.memory_bytes -= r->weight;
            --st.entries_in_memory;
        }
        entries.drop_resident(id);
    }
    void remember_held(const value_ptr& v, std::uint64_t w) {
        if (held.size() >= 64 && held.size() == held.capacity()) prune_held();
        held.push_back({v, w});
    }
    // Both grow together (remember_held follows every caller_held entry), so
    // pruning both when `held` fills keeps them within twice what callers hold.
    void prune_held() {
        std::erase_if(held, [](const held_value& h) { return h.value.expired(); });
        std::erase_if(caller_held, [](const auto& h) { return h.second.value.expired(); });
    }
    void drop_disk_copy(entry_id id) {
        const auto d = entries.disk(id);
        if (!d) return;
        if (auto it = segments.find(d.segment); it != segments.end()) it->second.live -= d.length;
        entries.set_disk(id, {});
    }

    // --- the budget -----------------------------------------------------------

    // keep (flush): the value stays resident, and keeps its place in the
    // eviction order; eviction waits for such a write rather than repeat it.
    void enqueue(entry_id id, bool keep) {
        if (!keep) unlink(id);
        auto& r = state(id);
        r.writing = true;
        queued_bytes += r.weight;
        queue.push_back({record_kind::put, std::string(entries.key(id)), r.seq, r.value, r.weight, keep});
        // The writer is woken for half a queue at a time (fewer, larger
        // batches), or by whoever has to wait for it.
        if (queued_bytes >= queue_cap / 2) changed.notify_all();
    }

    // Makes room for `w` more bytes, counting the value `key` has now as
    // gone (it is being replaced). Evicts, queues for the writer, waits.
    // Throws the writer's failure if one happens meanwhile (disk full).
    void reserve(std::unique_lock<std::mutex>& lk, std::string_view key, std::uint64_t w) {
        const auto failures_seen = failures;
        for (;;) {
            const entry_id spare = entries.find(key);
            const resident* s = spare != no_entry ? entries.find_resident(spare) : nullptr;
            const std::uint64_t credit = s && s->value && !s->writing ? s->weight : 0;
            if (st.memory_bytes - credit + w <= opt.memory_limit) return;
            if (failures != failures_seen) std::rethrow_exception(last_failure);
            if (const entry_id v = victim(spare); v != no_entry && !state(v).writing) {
                if (!dirty(v)) {
                    release_value(v);
                    continue;
                }
                if (queue.empty() || queued_bytes + state(v).weight <= queue_cap) {
                    enqueue(v, false);
                    continue;
                }
            } else if (queue.empty() && in_flight == 0) {
                throw capacity_error({dir.path().string(), std::nullopt},
                                     "cannot make room for " + std::to_string(w) + " bytes under memory_limit " + std::to_string(opt.memory_limit) +
                                         ": nothing left to evict");
            }
            changed.notify_all();
            changed.wait(lk);
        }
    }

    // Starts writing cold dirty values before the budget is reached, so
    // that inserts find room without waiting for the disk.
    void spill_ahead(entry_id spare) {
        const auto target = opt.memory_limit - std::min(opt.memory_limit, queue_cap);
        while (st.memory_bytes - queued_bytes > target) {
            const entry_id v = victim(spare);
            if (v == no_entry || state(v).writing || !dirty(v) || (!queue.empty() && queued_bytes + state(v).weight > queue_cap)) return;
            enqueue(v, false);
        }
    }

    // --- the writer ------------------------------------------------------------

    // The entry whose value a put job holds, or no_entry: replaced or erased
    // since it was queued.
    entry_id entry_of(const job& j) const {
        const auto id = entries.find(j.key);
        if (id == no_entry) return no_entry;
        const auto* r = entries.find_resident(id);
        return r && r->seq == j.seq ? id : no_entry;
    }

    // Takes every job waiting (up to a batch), appends them, writes the
    // batch with one system call, and only then makes the records known.
    void write_loop() {
        std::unique_lock lk(m);
        for (;;) {
            changed.wait(lk, [&] { return stopping || !queue.empty(); });
            if (stopping) return;
            std::vector<job> batch;
            std::uint64_t batch_bytes = 0;
            while (!queue.empty() && batch.size() < 4096 && batch_bytes < (8ull << 20)) {
                job j = std::move(queue.front());
                queue.pop_front();
                if (j.kind == record_kind::put) {
                    if (entry_of(j) == no_entry) {
                        // Replaced or erased while it waited: nothing to write.
                        queued_bytes -= j.weight;
                        st.memory_bytes -= j.weight;
                        changed.notify_all();
                        continue;
                    }
                }
                batch_bytes += j.weight;
                batch.push_back(std::move(j));
            }
            if (batch.empty()) continue;
            in_flight += static_cast<int>(batch.size());
            lk.unlock();
            {
                // Records are registered before append_m is released, so
                // compaction never sees a record whose entry does not know it.
                std::lock_guard ak(append_m);
                std::vector<disk_location> where(batch.size());
                std::vector<std::exception_ptr> failure(batch.size());
                std::size_t settled = 0;
                for (std::size_t i = 0; i < batch.size(); ++i) {
                    auto& j = batch[i];
                    try {
                        if (j.kind == record_kind::put && disk_used() + j.weight + 4096 > opt.disk_limit) {
                            // Compaction must know every record appended so far.
                            settle(batch, where, failure, settled, i, lk);
                            reclaim();
                        }
                        where[i] = append(j.kind, j.key, j.seq, j.value.get());
                    } catch (...) {
                        failure[i] = std::current_exception();
                    }
                    j.value.reset();  // the entry's reference is the one that counts
                }
                settle(batch, where, failure, settled, batch.size(), lk);
                try {
                    maybe_compact();
                } catch (...) {
                    // Compaction only reclaims space; a full disk here leaves
                    // the segment as it was and the next append reports it.
                }
            }
            lk.lock();
        }
    }

    // Writes what jobs [from, to) appended and makes their records known
    // (append_m held, m not). A write that fails fails every job whose
    // record it held: their values stay in memory, dirty.
    void settle(std::vector<job>& batch, const std::vector<disk_location>& where, std::vector<std::exception_ptr>& failure,
                std::size_t& from, std::size_t to, std::unique_lock<std::mutex>& lk) {
        if (from == to) return;
        if (active) {
            auto& f = *segments.at(active).file;
            try {
                f.flush_pending();
            } catch (...) {
                const auto e = std::current_exception();
                std::uint64_t first = f.size();
                for (std::size_t i = from; i < to; ++i)
                    if (!failure[i] && where[i].segment == active) {
                        failure[i] = e;
                        first = std::min(first, where[i].offset);
                    }
                try {
                    f.truncate(first);
                } catch (...) {
                }
            }
        }
        lk.lock();
        for (std::size_t i = from; i < to; ++i) complete(batch[i], where[i], failure[i]);
        lk.unlock();
        from = to;
    }

    void complete(job& j, const disk_location& where, std::exception_ptr failure) {
        --in_flight;
        queued_bytes -= j.weight;
        const entry_id id = j.kind == record_kind::put ? entry_of(j) : no_entry;
        if (failure) {
            ++failures;
            last_failure = failure;
            if (id != no_entry && j.kind == record_kind::put) {
                state(id).writing = false;
                link_back(id);  // still dirty, still in memory: nothing lost
            } else if (j.kind == record_kind::put) {
                st.memory_bytes -= j.weight;
            }
            changed.notify_all();
            return;
        }
        if (j.kind == record_kind::erase) segments[where.segment].live += where.length;  // kept, see compact()
        if (j.kind == record_kind::put) {
            ++st.spills;
            if (id != no_entry) {
                auto& r = state(id);
                r.writing = false;
                entries.set_disk(id, where);
                segments[where.segment].live += where.length;
                if (j.keep || r.touched) {
                    r.touched = false;
                    if (!r.linked) link_front(id);
                } else {
                    release_value(id);
                }
            } else {
                st.memory_bytes -= j.weight;
            }
        }
        changed.notify_all();
    }

    // Appends one record; append_m held. Returns where it went.
    disk_location append(record_kind kind, std::string_view key, std::uint64_t seq, const void* value,
                     std::string_view attached_path = {}) {
        auto& seg = active_segment();
        auto& file = *seg.file;
        const auto offset = (file.size() + record_alignment - 1) / record_alignment * record_alignment;
        check_offset(file, offset);
        record_header h;
        h.kind = kind;
        h.seq = seq;
        h.key_length = static_cast<std::uint32_t>(key.size());
        const bool aligned = kind == record_kind::put && opt.codec == codec_id::none && filters.empty();
        h.value_pad = value_padding(offset, key.size(), aligned);
        const auto value_offset = offset + record_header_size + key.size() + h.value_pad;
        const auto used = disk_used();
        const auto room = opt.disk_limit > used ? opt.disk_limit - used : 0;
        if (value_offset - file.size() > room)
            throw capacity_error({dir.path().string(), std::nullopt}, "disk_limit of " + std::to_string(opt.disk_limit) + " bytes reached (" +
                                                                          std::to_string(used) + " bytes of segments)");
        written_value v;
        try {
            if (kind == record_kind::put) {
                h.codec = opt.codec;
                for (const auto& f : filters) h.filters |= f->bit();
                v = write_value(file, value_offset, [&](format::writer& w) { fn.save(w, value); }, opt.codec, level, filters,
                                room - (value_offset - file.size()));
            } else if (kind == record_kind::attach) {
                const std::span<const std::byte> b(reinterpret_cast<const std::byte*>(attached_path.data()), attached_path.size());
                if (b.size() > room - (value_offset - file.size()))
                    throw capacity_error({dir.path().string(), std::nullopt}, "disk_limit reached");
                file.write_at(value_offset, b);
                v = {b.size(), b.size(), XXH3_64bits(b.data(), b.size())};
            }
            h.value_length = v.stored_length;
            h.raw_length = v.raw_length;
            h.value_hash = v.hash;
            const auto prefix = encode_record_prefix(h, key);
            file.write_at(offset, {reinterpret_cast<const std::byte*>(prefix.data()), prefix.size()});
        } catch (...) {
            // Nothing half-written stays: the segment ends where it ended.
            try {
                file.truncate(file.size());
            } catch (...) {
            }
            throw;
        }
        const auto end = value_offset + v.stored_length;
        {
            std::lock_guard lk(m);
            st.bytes_written += end - file.size();
            seg.synced = false;
        }
        file.set_size(end);
        return {file.id(), offset, end - offset};
    }

    void check_offset(const segment_file& file, std::uint64_t offset) const {
        if (offset >= max_record_offset)
            throw limit_error({file.name(), offset}, "a record past 8 TiB in one segment (segment_bytes is " + std::to_string(segment_cap) + ")");
    }

    std::uint64_t disk_used() const {
        std::uint64_t n = 0;
        for (const auto& [id, s] : segments) n += s.file->size();
        return n;
    }

    // append_m held.
    segment_state& active_segment() {
        if (active) {
            auto& s = segments.at(active);
            if (s.file->size() < segment_cap) return s;
            s.file->seal();
            if (opt.persist) {
                s.file->sync();  // sealed segments are durable
                std::lock_guard lk(m);
                s.synced = true;
            }
        }
        if (next_segment > 0xffffffffu) throw limit_error({dir.path().string(), std::nullopt}, "more than 4294967295 segments over the store's life");
        const auto id = static_cast<std::uint32_t>(next_segment);
        auto f = segment_file::create(dir.path(), id);
        ++next_segment;
        std::lock_guard lk(m);
        auto& s = segments[id];
        s.file = std::move(f);
        s.synced = false;
        active = id;
        return s;
    }

    // --- compaction (append_m held) -------------------------------------------

    void maybe_compact() {
        std::uint32_t pick = 0;
        {
            std::lock_guard lk(m);
            for (const auto& [id, s] : segments) {
                if (id == active) continue;
                const auto size = s.file->size() - segment_header_size;
                if (s.live * 2 < size) {
                    pick = id;
                    break;
                }
            }
        }
        if (pick) compact(pick);
    }

    // Near disk_limit: every segment with dead space is compacted, the one
    // being appended to included (it is sealed first).
    void reclaim() {
        std::vector<std::uint32_t> ids;
        {
            std::lock_guard lk(m);
            for (const auto& [id, s] : segments)
                if (s.live + segment_header_size < s.file->size()) ids.push_back(id);
            if (std::find(ids.begin(), ids.end(), active) != ids.end()) active = 0;
        }
        for (auto id : ids) {
            try {
                compact(id);
            } catch (const capacity_error&) {
                // No room for its live records: try the next one.
            }
        }
    }

    void compact(std::uint32_t id) {
        std::shared_ptr<segment_file> old;
        {
            std::lock_guard lk(m);
            old = segments.at(id).file;
        }
        old->flush_pending();
        const auto bytes = old->map_all();
        struct copy {
            record_view r;
            disk_location to;
        };
        std::vector<copy> live;
        {
            std::lock_guard lk(m);
            const bool older_exists = segments.begin()->first < id;
            for (std::uint64_t off = segment_header_size; off < bytes.bytes.size();) {
                auto p = parse_record(bytes.bytes, off);
                if (!p.record) break;
                auto& r = *p.record;
                off = r.next();
                if (r.header.kind == record_kind::erase) {
                    // A tombstone must outlive the older records it hides.
                    if (older_exists) live.push_back({std::move(r), {}});
                    continue;
                }
                if (names(entries.find(r.key), id, r.offset)) live.push_back({std::move(r), {}});
            }
        }
        for (auto& c : live) c.to = copy_record(bytes.bytes, c.r);
        if (active) segments.at(active).file->flush_pending();
        if (opt.persist) sync_all();  // the copies are durable before the original goes
        std::lock_guard lk(m);
        for (auto& c : live) {
            if (c.r.header.kind == record_kind::erase) {
                segments[c.to.segment].live += c.to.length;
                continue;
            }
            if (const auto e = entries.find(c.r.key); names(e, id, c.r.offset)) {
                entries.set_disk(e, c.to);
                segments[c.to.segment].live += c.to.length;
            }
        }
        segments.erase(id);
        old->unlink();
        ++st.compactions;
        if (opt.persist) dir.sync();
    }

    // The entry's disk copy is the record at `offset` of `segment`.
    bool names(entry_id e, std::uint32_t segment, std::uint64_t offset) const {
        if (e == no_entry) return false;
        const auto d = entries.disk(e);
        return d.segment == segment && d.offset == offset;
    }

    // Copies a record as it is (same seq, same stored bytes) to the active
    // segment; only the padding before the value may change.
    disk_location copy_record(std::span<const std::byte> from, const record_view& r) {
        auto& seg = active_segment();
        auto& file = *seg.file;
        const auto offset = (file.size() + record_alignment - 1) / record_alignment * record_alignment;
        check_offset(file, offset);
        auto h = r.header;
        h.value_pad = value_padding(offset, r.key.size(), r.header.value_pad != 0 || (r.value_offset % value_alignment == 0 && h.kind == record_kind::put));
        const auto prefix = encode_record_prefix(h, r.key);
        const auto value_offset = offset + prefix.size();
        const auto used = disk_used();
        if (used + (value_offset + h.value_length - file.size()) > opt.disk_limit)
            throw capacity_error({dir.path().string(), std::nullopt}, "disk_limit reached while compacting");
        try {
            file.write_at(value_offset, from.subspan(static_cast<std::size_t>(r.value_offset), static_cast<std::size_t>(h.value_length)));
            file.write_at(offset, {reinterpret_cast<const std::byte*>(prefix.data()), prefix.size()});
        } catch (...) {
            try {
                file.truncate(file.size());
            } catch (...) {
            }
            throw;
        }
        const auto end = value_offset + h.value_length;
        {
            std::lock_guard lk(m);
            st.bytes_written += end - file.size();
            seg.synced = false;
        }
        file.set_size(end);
        return {file.id(), offset, end - offset};
    }

    // append_m held.
    void sync_all() {
        std::vector<segment_state*> todo;
        {
            std::lock_guard lk(m);
            for (auto& [id, s] : segments)
                if (!s.synced) todo.push_back(&s);
        }
        for (auto* s : todo) s->file->sync();
        std::lock_guard lk(m);
        for (auto* s : todo) s->synced = true;
    }

    // --- recovery (constructor only, no other thread yet) --------------------

    static bool whole_record_after(std::span<const std::byte> bytes, std::uint64_t off) {
        for (auto at = off + record_alignment; at + record_header_size <= bytes.size(); at += record_alignment)
            if (parse_record(bytes, at).record) return true;
        return false;
    }

    void recover() {
        std::vector<std::uint32_t> ids;
        std::error_code ec;
        for (fs::directory_iterator it(dir.path(), ec), end; !ec && it != end; it.increment(ec))
            if (auto id = segment_id_from_name(it->path().filename().string())) ids.push_back(*id);
        if (ec) throw io_error({dir.path().string(), std::nullopt}, "cannot list the spill directory: " + ec.message());
        std::sort(ids.begin(), ids.end());
        // The record with the highest seq of a key wins, wherever it is
        // (compaction copies records to newer segments with their seq).
        // Winners go straight into the table; the kind of each is kept
        // until the end, when erased keys leave and attached ones are read.
        std::vector<record_kind> kind_of;
        std::vector<std::uint64_t> seq_of;  // of the winner so far
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const bool last = i + 1 == ids.size();
            std::shared_ptr<segment_file> f;
            try {
                f = segment_file::open(dir.path(), ids[i], !opt.read_only);
            } catch (const io_error&) {
                if (opt.read_only) continue;  // compacted away by the writer meanwhile
                throw;
            }
            const auto bytes = f->map_all();
            if (auto problem = check_segment_header(bytes.bytes, ids[i])) {
                if (last && bytes.bytes.size() < segment_header_size && !opt.read_only) {
                    f->unlink();  // a crash while the segment was being created
                    continue;
                }
                throw corrupt_error({f->name(), 0}, *problem);
            }
            std::uint64_t off = segment_header_size;
            while (off < bytes.bytes.size()) {
                auto p = parse_record(bytes.bytes, off);
                if (!p.record) {
                    // A torn tail of the segment last written is what a crash
                    // leaves: what follows the last whole record was never
                    // flushed. Anywhere else it is damage.
                    // A torn tail has no whole record after it; damage does.
                    if (!last || whole_record_after(bytes.bytes, off))
                        throw corrupt_error({f->name(), off}, "bad spill record (" + p.problem +
                                                                  "); records follow, so this is damage, not a write cut short by a crash");
                    if (!opt.read_only) f->truncate(off);
                    break;
                }
                const auto& r = *p.record;
                off = r.next();
                if (r.header.seq >= max_seq) throw corrupt_error({f->name(), r.offset}, "a record seq below 2^63 (found " + std::to_string(r.header.seq) + ")");
                next_seq = std::max(next_seq, r.header.seq + 1);
                bool added = false;
                const auto e = entries.insert(r.key, added);
                if (!added && r.header.seq <= seq_of[e]) continue;
                if (r.offset >= max_record_offset) throw limit_error({f->name(), r.offset}, "a record past 8 TiB in one segment");
                if (kind_of.size() <= e) {
                    kind_of.resize(std::size_t{e} + 1);
                    seq_of.resize(std::size_t{e} + 1);
                }
                kind_of[e] = r.header.kind;
                seq_of[e] = r.header.seq;
                entries.set_disk(e, {ids[i], r.offset, r.length()});
            }
            f->set_size(std::min<std::uint64_t>(f->size(), bytes.bytes.size()));
            segments[ids[i]].file = std::move(f);
            next_segment = std::max(next_segment, std::uint64_t{ids[i]} + 1);
        }
        std::vector<entry_id> erased;
        entries.for_each([&](entry_id e) {
            if (kind_of[e] == record_kind::erase) erased.push_back(e);
        });
        for (auto e : erased) entries.erase(e);
        std::vector<entry_id> named_files;
        entries.for_each([&](entry_id e) {
            const auto d = entries.disk(e);
            segments.at(d.segment).live += d.length;
            if (kind_of[e] == record_kind::attach) named_files.push_back(e);
        });
        for (auto e : named_files) {
            const auto d = entries.disk(e);
            const auto& file = *segments.at(d.segment).file;
            const auto r = read_record_header(file, d.offset, d.length, entries.key(e));
            std::string path(static_cast<std::size_t>(r.header.value_length), '\0');
            file.read_at(r.value_offset, std::as_writable_bytes(std::span(path)));
            attached[e] = std::make_shared<const fs::path>(std::move(path));
        }
        // Old segments stay sealed; appends go to a new one.
    }

    // --- the operations ------------------------------------------------------

    void writable() const {
        if (opt.read_only) throw unsupported_error({dir.path().string(), std::nullopt}, "the spill store is open read-only");
    }

    // The seq of the next value, erase or record (m held). Seqs stay below
    // 2^63, so that a reopen's next one never wraps.
    std::uint64_t take_seq() {
        if (next_seq >= max_seq) throw limit_error({dir.path().string(), std::nullopt}, "the store has used every seq below 2^63");
        return next_seq++;
    }

    // The entry takes a new value (or none): the old one and its disk copy
    // go. Returns whether a record on disk may still name the key (its disk
    // copy's, an older one's, or one being written): an erase then needs a
    // tombstone.
    bool replace(entry_id id) {
        auto* r = entries.find_resident(id);
        const bool older_record = entries.disk(id) || (r && (r->older_record || r->writing));
        if (r && r->writing) {
            unlink(id);
            if (r->value) --st.entries_in_memory;  // its weight leaves when the job finds no value with its seq
            entries.drop_resident(id);
        } else {
            release_value(id);
        }
        drop_disk_copy(id);
        attached.erase(id);
        caller_held.erase(id);
        return older_record;
    }

    bool put(std::string_view key, value_ptr v, std::uint64_t w, bool only_if_absent) {
        writable();
        if (w > opt.memory_limit) return put_to_disk(key, std::move(v), w, only_if_absent);
        std::unique_lock lk(m);
        if (only_if_absent && entries.find(key) != no_entry) return false;
        reserve(lk, key, w);
        const auto seq = take_seq();
        bool fresh = false;
        const auto id = entries.insert(key, fresh);
        const bool older_record = replace(id);
        make_resident(id, std::move(v), w, seq, older_record);
        spill_ahead(id);
        return fresh;
    }

    // Larger than memory_limit: written on the caller's thread, never resident.
    bool put_to_disk(std::string_view key, value_ptr v, std::uint64_t w, bool only_if_absent) {
        {
            std::lock_guard lk(m);
            if (only_if_absent && entries.find(key) != no_entry) return false;
        }
        std::lock_guard ak(append_m);
        caller_append record(*this);
        disk_location where;
        try {
            if (disk_used() + w + 4096 > opt.disk_limit) reclaim();
            where = append(record_kind::put, key, record.seq(), v.get());
            segments.at(where.segment).file->flush_pending();
        } catch (const capacity_error& e) {
            throw capacity_error({dir.path().string(), std::nullopt},
                                 "a value of " + std::to_string(w) + " bytes for " + quoted(key) + " is larger than memory_limit (" +
                                     std::to_string(opt.memory_limit) + " bytes) and does not fit on disk either: " + e.detail());
        }
        std::lock_guard lk(m);
        ++st.spills;
        bool fresh = false;
        const auto id = record.claim(key, fresh);
        if (id == no_entry) return fresh;
        entries.set_disk(id, where);
        segments[where.segment].live += where.length;
        if (v.use_count() > 1) {
            caller_held[id] = {v, w};
            remember_held(v, w);
        }
        return fresh;
    }

    // A record appended on the caller's thread (put_to_disk, attach), from
    // its seq to its registration. The seq is taken with append_m held, so
    // every record appended before has a lower one; what can be newer when
    // the record is registered is a value put to memory meanwhile, or an
    // erase of the key meanwhile. Either makes the record dead (on disk, but
    // never the key's value).
    class caller_append {
    public:
        explicit caller_append(impl& s) : s_(s) {
            std::lock_guard lk(s_.m);
            seq_ = s_.take_seq();
            ++s_.caller_appends;
        }
        ~caller_append() {
            std::lock_guard lk(s_.m);
            if (--s_.caller_appends == 0) s_.erased_meanwhile.clear();
        }
        caller_append(const caller_append&) = delete;
        caller_append& operator=(const caller_append&) = delete;
        std::uint64_t seq() const noexcept { return seq_; }
        // m held. The key's entry, its old value gone, for the record to
        // be registered in; no_entry when the record is dead. `fresh`: the
        // entry was added.
        entry_id claim(std::string_view key, bool& fresh) {
            fresh = false;
            if (erased_since(key)) return no_entry;
            const auto id = s_.entries.insert(key, fresh);
            if (superseded_in_memory(id)) return no_entry;
            s_.replace(id);
            return id;
        }

    private:
        // The key was erased after the seq was taken: its tombstone is
        // newer than the record.
        bool erased_since(std::string_view key) const {
            const auto e = s_.erased_meanwhile.find(std::string(key));
            return e != s_.erased_meanwhile.end() && e->second > seq_;
        }
        // m held. A value put to memory meanwhile is newer; it remembers the
        // dead record, for which an erase then needs a tombstone.
        bool superseded_in_memory(entry_id id) const {
            auto* r = s_.entries.find_resident(id);
            if (!r || r->seq < seq_) return false;
            r->older_record = true;
            return true;
        }

        impl& s_;
        std::uint64_t seq_ = 0;
    };

    // What an entry's value is while it is not in memory: its disk copy, or
    // the file it names. Segment ids are never reused, and the file's path
    // is held, so an unchanged source is an unchanged value.
    struct value_source {
        disk_location disk;
        std::shared_ptr<const fs::path> file;
        bool operator==(const value_source&) const = default;
    };
    value_source source_of(entry_id id) const {
        const auto a = attached.find(id);
        return {entries.disk(id), a != attached.end() ? a->second : nullptr};
    }

    value_ptr load(entry_id id, std::string_view key, std::uint64_t& weight, std::uint64_t& bytes_read, std::unique_lock<std::mutex>& lk) {
        std::shared_ptr<const fs::path> file_named;
        if (auto a = attached.find(id); a != attached.end()) file_named = a->second;
        const auto disk = entries.disk(id);
        std::shared_ptr<segment_file> file;
        if (!file_named) file = segments.at(disk.segment).file;
        lk.unlock();
        value_ptr p;
        try {
            if (file_named) {
                load_options o;
                o.mmap = identify(*file_named).codec == codec_id::none ? mmap_mode::copy_on_write : mmap_mode::none;
                detail::load_session s(*file_named, o);
                p = fn.load(s.reader());
                s.finish();
                bytes_read = fs::file_size(*file_named);
                weight = fn.weigh(p.get());
            } else {
                auto r = read_record_value(*file, disk.offset, disk.length, key, filters, fn.load, quoted(key) + " in the spill store");
                p = std::move(r.value);
                bytes_read = r.header.value_length;
                weight = fn.custom_weight ? fn.weigh(p.get()) : r.header.raw_length;
            }
        } catch (...) {
            lk.lock();
            throw;
        }
        lk.lock();
        return p;
    }

    value_ptr get(std::string_view key) {
        std::unique_lock lk(m);
        for (;;) {
            auto id = entries.find(key);
            if (id == no_entry) return nullptr;
            if (auto* r = entries.find_resident(id); r && r->value) {
                ++st.hits;
                if (r->writing) r->touched = true;
                if (r->linked || !r->writing) link_front(id);
                return r->value;
            }
            const auto source = source_of(id);
            const bool file_named = source.file != nullptr;
            value_ptr p;
            std::uint64_t w = 0;
            if (auto h = caller_held.find(id); h != caller_held.end()) {
                p = h->second.value.lock();
                w = h->second.weight;
                if (!p) caller_held.erase(h);
            }
            const bool from_memory = p != nullptr;
            if (!p) {
                std::uint64_t bytes = 0;
                p = load(id, key, w, bytes, lk);
                ++st.misses;
                st.bytes_read += bytes;
            } else {
                ++st.hits;
            }
            id = entries.find(key);
            if (id == no_entry || source_of(id) != source) continue;  // replaced or erased meanwhile
            if (has_value(id)) return state(id).value;                 // another thread loaded it first
            if (!from_memory && !file_named) ++st.unspills;
            if (w <= opt.memory_limit) {
                try {
                    reserve(lk, key, w);
                } catch (const error&) {
                    // No room (the disk is full for what must leave memory):
                    // the caller still gets the value, outside the map.
                }
            }
            id = entries.find(key);
            if (id == no_entry || source_of(id) != source) return p;
            if (has_value(id)) return state(id).value;
            if (w <= opt.memory_limit && st.memory_bytes + w <= opt.memory_limit) {
                make_resident(id, p, w, 0, false);
                return p;
            }
            caller_held[id] = {p, w};
            remember_held(p, w);
            return p;
        }
    }

    bool erase(std::string_view key) {
        writable();
        std::lock_guard lk(m);
        const auto id = entries.find(key);
        if (id == no_entry) return false;
        const auto seq = opt.persist ? take_seq() : 0;
        if (replace(id) && opt.persist) {
            queue.push_back({record_kind::erase, std::string(key), seq, nullptr, 0, false});  // written with the next batch
            if (caller_appends) erased_meanwhile[std::string(key)] = seq;
        }
        entries.erase(id);
        return true;
    }

    void attach(std::string_view key, const fs::path& file) {
        writable();
        const auto absolute = fs::absolute(file);
        std::lock_guard ak(append_m);
        caller_append record(*this);
        disk_location where;
        if (opt.persist) {
            where = append(record_kind::attach, key, record.seq(), nullptr, absolute.string());
            segments.at(where.segment).file->flush_pending();
        }
        std::lock_guard lk(m);
        bool fresh = false;
        const auto id = record.claim(key, fresh);
        if (id == no_entry) return;
        attached[id] = std::make_shared<const fs::path>(absolute);
        if (where) {
            entries.set_disk(id, where);  // the record naming the file, not a copy of the value
            segments[where.segment].live += where.length;
        }
    }

    void flush() {
        if (opt.read_only) return;
        {
            std::unique_lock lk(m);
            const auto failures_seen = failures;
            // Every dirty value not being written is in the eviction list.
            for (entry_id id = head; id != no_entry; id = state(id).next)
                if (dirty(id) && !state(id).writing) enqueue(id, true);
            changed.notify_all();
            changed.wait(lk, [&] { return (queue.empty() && in_flight == 0) || failures != failures_seen; });
            if (failures != failures_seen) std::rethrow_exception(last_failure);
        }
        if (opt.persist) {
            std::lock_guard ak(append_m);
            sync_all();
            dir.sync();
        }
    }

    // The entries as `brine ls` shows them. Headers of records on disk are
    // read back outside both locks, as load() reads values: a record the
    // table named stays in its file (segments are never rewritten, and one
    // compacted away lives on while its segment_file is held).
    std::vector<spill_entry_info> list() {
        struct pending {
            std::size_t row;
            std::string key;
            disk_location at;
            std::shared_ptr<segment_file> file;
            bool weigh;
        };
        std::vector<spill_entry_info> out;
        std::vector<pending> headers;
        {
            std::lock_guard lk(m);
            out.reserve(entries.size());
            entries.for_each([&](entry_id id) {
                spill_entry_info i;
                i.key = entries.key(id);
                const auto* r = entries.find_resident(id);
                i.in_memory = r && r->value;
                if (i.in_memory) i.weight = r->weight;
                if (auto a = attached.find(id); a != attached.end()) i.attached = *a->second;
                else if (const auto d = entries.disk(id)) headers.push_back({out.size(), i.key, d, segments.at(d.segment).file, !i.in_memory});
                out.push_back(std::move(i));
            });
        }
        for (const auto& h : headers) {
            const auto r = read_record_header(*h.file, h.at.offset, h.at.length, h.key);
            auto& i = out[h.row];
            i.stored_bytes = r.header.value_length;
            i.codec = r.header.codec;
            if (h.weigh) i.weight = r.header.raw_length;
        }
        return out;
    }

    spill_stats stats() {
        std::lock_guard lk(m);
        auto s = st;
        prune_held();
        s.held_bytes = s.held_entries = 0;
        for (const auto& h : held) {
            s.held_bytes += h.weight;
            ++s.held_entries;
        }
        s.disk_bytes = disk_used();
        s.disk_live_bytes = 0;
        for (const auto& [id, seg] : segments) s.disk_live_bytes += seg.live;
        s.entries_on_disk = entries.size() - s.entries_in_memory;
        return s;
    }
};

spill_store::spill_store(const spill_options& options, value_functions functions)
    : impl_(std::make_unique<impl>(options, std::move(functions))) {}
spill_store::~spill_store() = default;

bool spill_store::put(std::string_view key, value_ptr value, std::uint64_t weight, bool only_if_absent) {
    if (key.size() > max_key_length) throw limit_error({"<spill store>", std::nullopt}, "a key of " + std::to_string(key.size()) + " bytes (at most 65536)");
    return impl_->put(key, std::move(value), weight, only_if_absent);
}
value_ptr spill_store::get(std::string_view key) { return impl_->get(key); }
bool spill_store::contains(std::string_view key) const {
    std::lock_guard lk(impl_->m);
    return impl_->entries.find(key) != no_entry;
}
bool spill_store::erase(std::string_view key) { return impl_->erase(key); }
std::size_t spill_store::size() const {
    std::lock_guard lk(impl_->m);
    return impl_->entries.size();
}
std::vector<std::string> spill_store::keys() const {
    std::lock_guard lk(impl_->m);
    std::vector<std::string> out;
    out.reserve(impl_->entries.size());
    impl_->entries.for_each([&](entry_id id) { out.emplace_back(impl_->entries.key(id)); });
    return out;
}
std::vector<spill_entry_info> spill_store::entries() const { return impl_->list(); }

void spill_store::attach(std::string_view key, const std::filesystem::path& file) {
    if (key.size() > max_key_length) throw limit_error({file.string(), std::nullopt}, "a key of " + std::to_string(key.size()) + " bytes (at most 65536)");
    impl_->attach(key, file);
}
void spill_store::flush() { impl_->flush(); }
spill_stats spill_store::stats() const { return impl_->stats(); }
const std::filesystem::path& spill_store::directory() const noexcept { return impl_->dir.path(); }

}  // namespace brine::store
