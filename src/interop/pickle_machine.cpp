#include "interop/pickle_machine.hpp"
#include "model/byte_order.hpp"

#include "interop/allowed_globals.hpp"
#include "interop/pickle_opcodes.hpp"
#include "interop/text_encoding.hpp"

#include <bit>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace brine::interop {

namespace {

// Module and qualified names in GLOBAL are short; anything longer is corrupt.
constexpr std::size_t max_global_line = 1024;

// The pickle memo. Picklers number entries 0, 1, 2... (MEMOIZE is
// len(memo)), so those live in a vector; an index out of sequence (BINPUT
// may name any) goes to a map, so no index allocates on its own word.
class memo_table {
public:
    void put(std::uint64_t index, py_object* o) {
        if (index < dense_.size()) {
            dense_[index] = o;
        } else if (index == dense_.size()) {
            sparse_.erase(index);
            dense_.push_back(o);
        } else {
            sparse_[index] = o;
        }
    }
    py_object* get(std::uint64_t index) const {
        if (index < dense_.size()) return dense_[index];
        const auto it = sparse_.find(index);
        return it == sparse_.end() ? nullptr : it->second;
    }
    std::uint64_t size() const noexcept { return dense_.size() + sparse_.size(); }

private:
    std::vector<py_object*> dense_;
    std::unordered_map<std::uint64_t, py_object*> sparse_;
};

class machine {
public:
    machine(input_cursor& in, py_arena& arena, const after_build_hook& hook) : in_(in), arena_(arena), hook_(hook) {}

    py_object& run() {
        for (;;) {
            op_offset_ = in_.offset();
            const auto op = static_cast<pickle_op>(in_.read_u8("a pickle opcode"));
            if (op == pickle_op::stop) return pop("STOP");
            step(op);
        }
    }

private:
    [[noreturn]] void fail(const std::string& msg) const { throw corrupt_error({in_.name(), op_offset_}, msg); }
    [[noreturn]] void fail_unsupported(const std::string& msg) const { throw format_error({in_.name(), op_offset_}, msg); }

    void push(py_object& o) { stack_.push_back(&o); }
    py_object& pop(const char* op) {
        if (stack_.size() <= floor()) fail(std::string("pickle stack underflow at ") + op + ": expected an operand");
        auto* o = stack_.back();
        stack_.pop_back();
        return *o;
    }
    py_object& top(const char* op) {
        if (stack_.size() <= floor()) fail(std::string("pickle stack underflow at ") + op + ": expected an operand");
        return *stack_.back();
    }
    // The stack below the innermost MARK belongs to the enclosing container.
    std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    std::vector<py_object*> pop_mark(const char* op) {
        if (marks_.empty()) fail(std::string(op) + " without a MARK");
        const auto m = marks_.back();
        marks_.pop_back();
        std::vector<py_object*> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
        stack_.resize(m);
        return items;
    }

    py_object& make(py_kind k) { return arena_.make(k); }
    void push_number(py_kind k, scalar s) {
        auto& o = make(k);
        o.number = s;
        push(o);
    }
    void push_str(std::uint64_t n) {
        auto& o = make(py_kind::str);
        o.text = in_.read_string(n, "str data");
        if (!is_valid_utf8(o.text)) fail("str of " + std::to_string(n) + " bytes is not valid UTF-8");
        push(o);
    }
    void push_bytes(py_kind k, std::uint64_t n) {
        auto& o = make(k);
        o.text = in_.read_string(n, "bytes data");
        push(o);
    }

    // LONG1 / LONG4: little-endian two's complement of any width. brine
    // keeps int64 and uint64 as scalars; wider ints, losslessly, as the
    // object builtins.int('<hex digits>', 16), which Python rebuilds exactly.
    void push_long(std::uint64_t n) {
        const auto b = in_.read_string(n, "int data");
        const bool negative = n && (static_cast<unsigned char>(b[n - 1]) & 0x80);
        const unsigned char fill = negative ? 0xFF : 0x00;
        std::uint64_t low = negative ? ~std::uint64_t{0} : 0;
        for (std::size_t i = 0; i < std::min<std::size_t>(n, 8); ++i) {
            low &= ~(std::uint64_t{0xFF} << (8 * i));
            low |= std::uint64_t{static_cast<unsigned char>(b[i])} << (8 * i);
        }
        bool wide = false;
        for (std::size_t i = 8; i < n; ++i)
            if (static_cast<unsigned char>(b[i]) != fill) wide = true;
        const bool top_bit = low >> 63;
        if (!wide && n > 8 && negative && !top_bit) wide = true;
        if (!wide && !negative && top_bit && n > 8) return push_number(py_kind::integer, scalar(low));
        if (!wide && !negative && top_bit) wide = true;  // n == 8 with top bit set cannot be non-negative
        if (wide) return push(big_int(b, negative));
        push_number(py_kind::integer, scalar(static_cast<std::int64_t>(low)));
    }

    py_object& big_int(const std::string& twos_complement, bool negative) {
        // Magnitude, little-endian: negate two's complement when negative.
        std::string m = twos_complement;
        if (negative) {
            unsigned carry = 1;
            for (auto& c : m) {
                const unsigned v = static_cast<unsigned char>(~static_cast<unsigned char>(c)) + carry;
                c = static_cast<char>(v & 0xFF);
                carry = v >> 8;
            }
        }
        static constexpr char digits[] = "0123456789abcdef";
        std::string hex = negative ? "-" : "";
        bool leading = true;
        for (std::size_t i = m.size(); i-- > 0;) {
            const unsigned byte = static_cast<unsigned char>(m[i]);
            for (const unsigned nibble : {byte >> 4u, byte & 15u}) {
                if (leading && nibble == 0) continue;
                leading = false;
                hex += digits[nibble];
            }
        }
        if (leading) hex += '0';
        auto& text = make(py_kind::str);
        text.text = std::move(hex);
        auto& base = make(py_kind::integer);
        base.number = scalar(std::int64_t{16});
        auto& cls = make(py_kind::global);
        cls.module = "builtins";
        cls.qualname = "int";
        cls.global = allowed_global::other;
        cls.offset = op_offset_;
        return make_object(cls, build_kind::reduce, &tuple_of({&text, &base}));
    }

    void memo_put(std::uint64_t index) { memo_.put(index, &top("PUT")); }
    void memo_get(std::uint64_t index) {
        auto* const found = memo_.get(index);
        if (!found) fail("memo entry " + std::to_string(index) + " was never stored");
        push(*found);
    }

    void push_global(std::string_view module, std::string_view name) {
        auto& g = make(py_kind::global);
        g.global = resolve_global(module, name, at_op());
        g.module = module;
        g.qualname = name;
        g.offset = op_offset_;
        push(g);
    }

    // An instance of a class brine does not interpret: an object node
    // holding its class name and what it was built from. Nothing is called.
    py_object& make_object(const py_object& cls, build_kind how, py_object* args, py_object* kwargs = nullptr) {
        auto& o = make(py_kind::object);
        o.module = cls.module;
        o.qualname = cls.qualname;
        o.offset = cls.offset;
        o.build = how;
        o.args = args;
        o.kwargs = kwargs;
        return o;
    }
    // An allowed global whose arguments include such an object (a numpy
    // scalar or buffer of a dtype brine has no type for): kept as data too.
    static bool generic_call(const py_object& callable, const py_object& args) {
        if (callable.global == allowed_global::other) return true;
        if (args.kind != py_kind::tuple) return false;
        for (const auto* a : args.items)
            if (a->kind == py_kind::object) return true;
        return false;
    }
    py_object& tuple_of(std::vector<py_object*> items) {
        auto& t = make(py_kind::tuple);
        t.items = std::move(items);
        return t;
    }
    input_cursor& at_op() { return in_; }

    const std::string& string_operand(const char* op) {
        auto& o = pop(op);
        if (o.kind != py_kind::str) fail(std::string(op) + " expects str operands, found " + kind_name(o.kind));
        return o.text;
    }

    void add_to_list(py_object& list, const std::vector<py_object*>& items, const char* op) {
        if (list.kind == py_kind::object) return list.items.insert(list.items.end(), items.begin(), items.end()), void();
        if (list.kind != py_kind::list) fail(std::string(op) + " on " + kind_name(list.kind) + ", expected a list");
        list.items.insert(list.items.end(), items.begin(), items.end());
    }
    void set_items(py_object& dict, const std::vector<py_object*>& kv, const char* op) {
        if (dict.kind == py_kind::object) {
            if (kv.size() % 2) fail(std::string(op) + " with an odd number of items");
            return dict.dict_items.insert(dict.dict_items.end(), kv.begin(), kv.end()), void();
        }
        if (dict.kind != py_kind::dict) fail(std::string(op) + " on " + kind_name(dict.kind) + ", expected a dict");
        if (kv.size() % 2) fail(std::string(op) + " with an odd number of items");
        dict.items.insert(dict.items.end(), kv.begin(), kv.end());
    }

    void step(pickle_op op) {
        switch (op) {
        case pickle_op::proto: {
            const auto v = in_.read_u8("the protocol number");
            if (v > highest_pickle_protocol) fail_unsupported("pickle protocol " + std::to_string(v) + "; brine reads protocols 2 to 5");
            return;
        }
        case pickle_op::frame: {
            // Frames only group bytes for buffering; their contents are the
            // following opcodes, so reading on is enough. Check the length.
            const auto n = in_.read_le<std::uint64_t>("a frame length");
            if (auto r = in_.remaining(); r && n > *r) in_.fail_truncated("a frame", n);
            return;
        }
        case pickle_op::mark: marks_.push_back(stack_.size()); return;
        case pickle_op::pop:
            if (stack_.size() > floor()) stack_.pop_back();
            else pop_mark("POP");
            return;
        case pickle_op::pop_mark: pop_mark("POP_MARK"); return;
        case pickle_op::dup: push(top("DUP")); return;

        case pickle_op::none: push(make(py_kind::none)); return;
        case pickle_op::newtrue: push_number(py_kind::boolean, scalar(true)); return;
        case pickle_op::newfalse: push_number(py_kind::boolean, scalar(false)); return;
        case pickle_op::binint:
            push_number(py_kind::integer, scalar(std::int64_t{static_cast<std::int32_t>(in_.read_le<std::uint32_t>("a 4-byte int"))}));
            return;
        case pickle_op::binint1: push_number(py_kind::integer, scalar(std::int64_t{in_.read_u8("a 1-byte int")})); return;
        case pickle_op::binint2: push_number(py_kind::integer, scalar(std::int64_t{in_.read_le<std::uint16_t>("a 2-byte int")})); return;
        case pickle_op::long1: push_long(in_.read_u8("an int length")); return;
        case pickle_op::long4: {
            const auto n = static_cast<std::int32_t>(in_.read_le<std::uint32_t>("an int length"));
            if (n < 0) fail("negative int length " + std::to_string(n));
            push_long(static_cast<std::uint64_t>(n));
            return;
        }
        case pickle_op::binfloat: {
            std::byte b[8];
            in_.read_exact(b, "an 8-byte float");
            push_number(py_kind::floating, scalar(std::bit_cast<double>(detail::load_be<std::uint64_t>(b))));  // big-endian
            return;
        }

        case pickle_op::short_binunicode: push_str(in_.read_u8("a str length")); return;
        case pickle_op::binunicode: push_str(in_.read_le<std::uint32_t>("a str length")); return;
        case pickle_op::binunicode8: push_str(in_.read_le<std::uint64_t>("a str length")); return;
        case pickle_op::short_binbytes: push_bytes(py_kind::bytes, in_.read_u8("a bytes length")); return;
        case pickle_op::binbytes: push_bytes(py_kind::bytes, in_.read_le<std::uint32_t>("a bytes length")); return;
        case pickle_op::binbytes8: push_bytes(py_kind::bytes, in_.read_le<std::uint64_t>("a bytes length")); return;
        case pickle_op::bytearray8: push_bytes(py_kind::bytearray, in_.read_le<std::uint64_t>("a bytearray length")); return;
        case pickle_op::short_binstring:
        case pickle_op::binstring: {
            // Python 2 str: text of unknown encoding; latin-1 maps every byte.
            std::uint64_t n = in_.read_u8("a string length");
            if (op == pickle_op::binstring) {
                std::byte rest[3];
                in_.read_exact(rest, "a string length");
                const auto n32 = static_cast<std::int32_t>(n | detail::load_le_n(rest, 3) << 8);
                if (n32 < 0) fail("negative string length");
                n = static_cast<std::uint64_t>(n32);
            }
            auto& o = make(py_kind::str);
            o.text = latin1_to_utf8(in_.read_string(n, "string data"));
            push(o);
            return;
        }

        case pickle_op::empty_tuple: push(make(py_kind::tuple)); return;
        case pickle_op::tuple1: case pickle_op::tuple2: case pickle_op::tuple3: {
            const auto n = static_cast<std::size_t>(op) - static_cast<std::size_t>(pickle_op::tuple1) + 1;
            if (stack_.size() < floor() + n) fail("pickle stack underflow at TUPLE" + std::to_string(n));
            auto& t = make(py_kind::tuple);
            t.items.assign(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
            stack_.resize(stack_.size() - n);
            push(t);
            return;
        }
        case pickle_op::tuple: {
            auto& t = make(py_kind::tuple);
            t.items = pop_mark("TUPLE");
            push(t);
            return;
        }
        case pickle_op::empty_list: push(make(py_kind::list)); return;
        case pickle_op::list: {
            auto& l = make(py_kind::list);
            l.items = pop_mark("LIST");
            push(l);
            return;
        }
        case pickle_op::append: {
            auto& item = pop("APPEND");
            add_to_list(top("APPEND"), {&item}, "APPEND");
            return;
        }
        case pickle_op::appends: {
            auto items = pop_mark("APPENDS");
            add_to_list(top("APPENDS"), items, "APPENDS");
            return;
        }
        case pickle_op::empty_dict: push(make(py_kind::dict)); return;
        case pickle_op::dict: {
            auto& d = make(py_kind::dict);
            set_items(d, pop_mark("DICT"), "DICT");
            push(d);
            return;
        }
        case pickle_op::setitem: {
            auto& v = pop("SETITEM");
            auto& k = pop("SETITEM");
            set_items(top("SETITEM"), {&k, &v}, "SETITEM");
            return;
        }
        case pickle_op::setitems: {
            auto kv = pop_mark("SETITEMS");
            set_items(top("SETITEMS"), kv, "SETITEMS");
            return;
        }
        case pickle_op::empty_set: push(make(py_kind::set)); return;
        case pickle_op::additems: {
            auto items = pop_mark("ADDITEMS");
            auto& s = top("ADDITEMS");
            if (s.kind != py_kind::set) fail(std::string("ADDITEMS on ") + kind_name(s.kind) + ", expected a set");
            s.items.insert(s.items.end(), items.begin(), items.end());
            return;
        }
        case pickle_op::frozenset: {
            auto& s = make(py_kind::frozenset);
            s.items = pop_mark("FROZENSET");
            push(s);
            return;
        }

        case pickle_op::binput: memo_put(in_.read_u8("a memo index")); return;
        case pickle_op::long_binput: memo_put(in_.read_le<std::uint32_t>("a memo index")); return;
        case pickle_op::memoize: memo_put(memo_.size()); return;  // Python's len(memo)
        case pickle_op::binget: memo_get(in_.read_u8("a memo index")); return;
        case pickle_op::long_binget: memo_get(in_.read_le<std::uint32_t>("a memo index")); return;

        case pickle_op::global: {
            const auto module = in_.read_line(max_global_line, "a module name");
            const auto name = in_.read_line(max_global_line, "a global name");
            push_global(module, name);
            return;
        }
        case pickle_op::stack_global: {
            const auto name = string_operand("STACK_GLOBAL");
            const auto module = string_operand("STACK_GLOBAL");
            push_global(module, name);
            return;
        }
        case pickle_op::reduce: {
            auto& args = pop("REDUCE");
            auto& callable = pop("REDUCE");
            if (callable.kind != py_kind::global) fail(std::string("REDUCE calls ") + kind_name(callable.kind) + ", expected a global");
            if (generic_call(callable, args)) return push(make_object(callable, build_kind::reduce, &args));
            push(call_global(arena_, callable.global, args, in_));
            return;
        }
        case pickle_op::newobj: {
            auto& args = pop("NEWOBJ");
            auto& cls = pop("NEWOBJ");
            if (cls.kind != py_kind::global) fail(std::string("NEWOBJ on ") + kind_name(cls.kind) + ", expected a class");
            if (generic_call(cls, args)) return push(make_object(cls, build_kind::newobj, &args));
            push(new_instance(arena_, cls.global, args, in_));
            return;
        }
        case pickle_op::newobj_ex: {
            auto& kwargs = pop("NEWOBJ_EX");
            auto& args = pop("NEWOBJ_EX");
            auto& cls = pop("NEWOBJ_EX");
            if (cls.kind != py_kind::global) fail(std::string("NEWOBJ_EX on ") + kind_name(cls.kind) + ", expected a class");
            if (args.kind != py_kind::tuple || kwargs.kind != py_kind::dict) fail("NEWOBJ_EX expects a tuple and a dict");
            if (generic_call(cls, args)) return push(make_object(cls, build_kind::newobj_ex, &args, &kwargs));
            if (kwargs.kind != py_kind::dict || !kwargs.items.empty()) fail("NEWOBJ_EX with keyword arguments is not supported");
            push(new_instance(arena_, cls.global, args, in_));
            return;
        }
        case pickle_op::build: {
            auto& state = pop("BUILD");
            auto& obj = top("BUILD");
            if (obj.kind == py_kind::pending_array && reconstructs_other_dtype(state)) {
                // numpy's own array pickle, of a dtype brine has no type for yet.
                keep_as_reconstruct_object(obj, obj.args, nullptr);
            }
            if (obj.kind == py_kind::object) {
                if (obj.state) fail("BUILD twice on one " + obj.module + "." + obj.qualname + " object");
                obj.state = &state;
                return;
            }
            build(obj, state, in_);
            if (hook_) hook_(obj, in_);
            return;
        }

        case pickle_op::persid: case pickle_op::binpersid:
            fail_unsupported("persistent IDs (PERSID) need the writer's own resolver; not supported");
        case pickle_op::ext1: case pickle_op::ext2: case pickle_op::ext4:
            fail_unsupported("extension registry codes (EXT1/2/4) are not supported");
        case pickle_op::next_buffer: case pickle_op::readonly_buffer:
            fail_unsupported("out-of-band buffers (protocol 5 NEXT_BUFFER) are not supported");
        case pickle_op::inst: {
            // Protocol 0: INST module\nname\n after MARK args...
            auto& cls = make(py_kind::global);
            cls.offset = op_offset_;
            cls.module = in_.read_line(max_global_line, "a module name");
            cls.qualname = in_.read_line(max_global_line, "a class name");
            push(make_object(cls, build_kind::inst, &tuple_of(pop_mark("INST"))));
            return;
        }
        case pickle_op::obj: {
            // Protocol 1: MARK cls args... OBJ.
            auto items = pop_mark("OBJ");
            if (items.empty() || items[0]->kind != py_kind::global) fail("OBJ expects a class after its MARK");
            const auto& cls = *items[0];
            push(make_object(cls, build_kind::obj, &tuple_of({items.begin() + 1, items.end()})));
            return;
        }
        case pickle_op::int_text: case pickle_op::long_text: case pickle_op::float_text: case pickle_op::string_text:
        case pickle_op::unicode_text: case pickle_op::get: case pickle_op::put:
            fail_unsupported("text opcodes of pickle protocol 0 are not supported; brine reads protocols 2 to 5");
        case pickle_op::stop: return;  // handled by run()
        }
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(op));
        fail(std::string("unknown pickle opcode ") + hex);
    }

    // numpy's array state (version, shape, dtype, is_fortran, data) naming a dtype object.
    static bool reconstructs_other_dtype(const py_object& state) {
        return state.kind == py_kind::tuple && (state.items.size() == 5 || state.items.size() == 4) &&
               state.items[state.items.size() - 3]->kind == py_kind::object;
    }

    input_cursor& in_;
    py_arena& arena_;
    const after_build_hook& hook_;
    std::vector<py_object*> stack_;
    std::vector<std::size_t> marks_;
    memo_table memo_;
    std::uint64_t op_offset_ = 0;
};

}  // namespace

py_object& run_pickle(input_cursor& in, py_arena& arena, const after_build_hook& after_build) {
    return machine(in, arena, after_build).run();
}

}  // namespace brine::interop
