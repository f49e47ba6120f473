// brine::spill_map: a map from string keys to values that keeps at most
// memory_limit bytes of values in memory and spills the rest to append-only
// segment files, in the background. See docs/guide.md ("Spilling to disk")
// and docs/format.md ("Spill store").
//
//   brine::spill_map<std::string, xt::xtensor<double, 2>> m({.memory_limit = 1ull << 30});
//   m.insert_or_assign("a", big);
//   std::shared_ptr<const xt::xtensor<double, 2>> a = m.get("a");   // nullptr if absent
//
// Values are immutable once inserted (get returns shared_ptr<const V>); a
// caller may keep one as long as it likes, the map never copies it.
#pragma once

#include <brine/serialize.hpp>
#include <brine/store/spill_options.hpp>
#include <brine/store/spill_store.hpp>

#include <concepts>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace brine {

template <class K, class V>
    requires std::same_as<K, std::string> && serializable<V> && std::default_initializable<V>
class spill_map {
public:
    using key_type = K;
    using mapped_type = V;
    // Replaces the default weight (the serialized size): bytes the value
    // occupies in memory, by the caller's own measure.
    using weight_function = std::function<std::uint64_t(const V&)>;

    explicit spill_map(const spill_options& options = {}, weight_function weight = {})
        : weight_(std::move(weight)), store_(options, functions(weight_)) {}

    // Inserts k or replaces its value. Throws brine::capacity_error when the
    // value fits in neither limit, or memory must be freed and the disk cannot
    // take it; the map is then unchanged.
    void insert_or_assign(const K& k, const V& v) { put(k, std::make_shared<V>(v), false); }
    void insert_or_assign(const K& k, V&& v) { put_moved(k, std::move(v), false); }
    // Inserts k only if it is absent (as std::map::emplace); returns whether
    // it did. On an exception v is given back.
    bool emplace(const K& k, V&& v) { return put_moved(k, std::move(v), true); }

    // The value, loaded (or mapped) back if it was spilled; nullptr if absent.
    std::shared_ptr<const V> get(const K& k) { return std::static_pointer_cast<const V>(store_.get(k)); }
    bool contains(const K& k) const { return store_.contains(k); }
    // Removes k (and its disk copy); returns whether it was there.
    bool erase(const K& k) { return store_.erase(k); }
    std::size_t size() const { return store_.size(); }
    std::vector<K> keys() const { return store_.keys(); }
    // Every entry with its weight and where it is (brine ls DIR).
    std::vector<spill_entry_info> entries() const { return store_.entries(); }
    // Makes k a lazy entry backed by an existing brine file: nothing is read
    // until get(k), and the file is never written or deleted by the map.
    void attach(const K& k, const std::filesystem::path& file) { store_.attach(k, file); }
    // Waits for the background writer, writes every value that has no disk
    // copy yet, and (persist) makes it all durable: a reopen sees every entry.
    void flush() { store_.flush(); }
    spill_stats stats() const { return store_.stats(); }
    const std::filesystem::path& directory() const noexcept { return store_.directory(); }

private:
    std::uint64_t weigh(const V& v) const {
        if (weight_) return weight_(v);
        return serialized_weight([&](format::writer& w) { brine::save(w, v); });
    }

    bool put(const K& k, std::shared_ptr<V> p, bool only_if_absent) {
        const auto w = weigh(*p);
        return store_.put(k, std::shared_ptr<const V>(std::move(p)), w, only_if_absent);
    }

    bool put_moved(const K& k, V&& v, bool only_if_absent) {
        auto p = std::make_shared<V>(std::move(v));
        try {
            return put(k, p, only_if_absent);
        } catch (...) {
            if constexpr (std::is_move_assignable_v<V>) v = std::move(*p);
            throw;
        }
    }

    static store::value_functions functions(const weight_function& weight) {
        store::value_functions f;
        f.save = [](format::writer& w, const void* p) { brine::save(w, *static_cast<const V*>(p)); };
        f.load = [](format::reader& r) -> store::value_ptr {
            auto p = std::make_shared<V>();
            brine::load(r, *p);
            return std::shared_ptr<const V>(std::move(p));
        };
        f.custom_weight = static_cast<bool>(weight);
        if (weight) f.weigh = [weight](const void* p) { return weight(*static_cast<const V*>(p)); };
        else f.weigh = [](const void* p) {
            return serialized_weight([p](format::writer& w) { brine::save(w, *static_cast<const V*>(p)); });
        };
        return f;
    }

    weight_function weight_;
    store::spill_store store_;
};

}  // namespace brine
