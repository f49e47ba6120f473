// Interoperability with Debian's `age` (the reference implementation's
// CLI), both ways, for X25519 recipients and scrypt passphrases; `age -p`
// and passphrase decryption read the terminal, so age_pty.py answers them
// through a pseudo-terminal.
#include "helpers.hpp"

#include <brine/brine.hpp>
#include <brine/interop/joblib.hpp>

#include <sys/stat.h>

#include <map>

using namespace brine;
using namespace brine::test;

namespace {

void run(const std::string& command) {
    INFO(command);
    REQUIRE(std::system(command.c_str()) == 0);
}

std::string with_passphrase(const std::string& passphrase, const std::string& age_args) {
    return std::string("/usr/bin/python3 ") + BRINE_AGE_PTY + " '" + passphrase + "' age " + age_args +
           " </dev/null >/dev/null 2>&1";
}

struct key_file {
    std::string identity = age::generate_identity();
    std::filesystem::path path;
    explicit key_file(const fresh_dir& dir) : path(dir / "key.txt") {
        std::ofstream(path) << age::identity_file_text(identity);
    }
};

const std::size_t sizes[] = {0, 1, 65535, 65536, 65537, 16 * 65536, 16 * 65536 + 1, (3 << 20) + 12345};

}  // namespace

TEST_CASE("age -d decrypts what brine encrypts to an X25519 recipient") {
    if (!have_command("age")) return;
    fresh_dir dir;
    key_file key(dir);
    const bytes data = mixed_data((3 << 20) + 12345, 5);
    for (unsigned threads : {1u, 3u})
        for (std::size_t size : sizes) {
            CAPTURE(size);
            CAPTURE(threads);
            const auto plain = std::span(data).first(size);
            std::filesystem::remove(dir / "x.out");  // age creates no output file for an empty plaintext
            write_file(dir / "x.age", age_encrypt(plain, {.recipients = {age::recipient_of(key.identity)}, .threads = threads}));
            run("age -d -i " + shell_quote(key.path) + " -o " + shell_quote(dir / "x.out") + " " + shell_quote(dir / "x.age"));
            CHECK(read_file(dir / "x.out") == bytes(plain.begin(), plain.end()));
        }
}

TEST_CASE("brine decrypts what age -r and age -a -r write") {
    if (!have_command("age")) return;
    fresh_dir dir;
    key_file key(dir);
    const bytes data = mixed_data((3 << 20) + 12345, 6);
    for (std::size_t size : sizes)
        for (const char* armor : {"", "-a "}) {
            CAPTURE(size);
            CAPTURE(armor);
            const auto plain = std::span(data).first(size);
            write_file(dir / "x.in", plain);
            run(std::string("age ") + armor + "-r " + age::recipient_of(key.identity) + " -o " + shell_quote(dir / "x.age") +
                " " + shell_quote(dir / "x.in"));
            for (unsigned threads : {1u, 2u}) {
                // The key as text, as a file's contents, and as a path.
                CHECK(age_decrypt(read_file(dir / "x.age"), {.identities = {key.identity}, .threads = threads}) ==
                      bytes(plain.begin(), plain.end()));
                CHECK(age_decrypt(read_file(dir / "x.age"), {.identities = {key.path.string()}, .threads = threads}) ==
                      bytes(plain.begin(), plain.end()));
            }
        }
}

TEST_CASE("passphrases: age -d reads brine's scrypt files, brine reads age -p's") {
    if (!have_command("age")) return;
    fresh_dir dir;
    const std::string passphrase = "correct horse battery staple";
    const bytes data = mixed_data(200'000, 7);
    write_file(dir / "brine.age", age_encrypt(data, {.passphrase = passphrase, .work_factor = test_work_factor}));
    run(with_passphrase(passphrase, "-d -o " + shell_quote(dir / "brine.out") + " " + shell_quote(dir / "brine.age")));
    CHECK(read_file(dir / "brine.out") == data);

    write_file(dir / "x.in", data);
    run(with_passphrase(passphrase, "-p -o " + shell_quote(dir / "age.age") + " " + shell_quote(dir / "x.in")));
    CHECK(age_decrypt(read_file(dir / "age.age"), {.passphrase = passphrase}) == data);
    CHECK_THROWS_AS(age_decrypt(read_file(dir / "age.age"), {.passphrase = "wrong"}), decryption_error);
}

TEST_CASE("dump to .brine.zst.age: age -d gives exactly the .brine.zst brine writes") {
    if (!have_command("age")) return;
    fresh_dir dir;
    key_file key(dir);
    std::map<std::string, std::vector<double>> tree{{"a", std::vector<double>(300'000, 1.5)}, {"b", {1, 2, 3}}};
    const dump_options plain_options{.threads = 2};
    dump_options sealed_options = plain_options;
    sealed_options.recipients = {age::recipient_of(key.identity)};
    brine::dump(tree, dir / "m.brine.zst", plain_options);
    brine::dump(tree, dir / "m.brine.zst.age", sealed_options);
    run("age -d -i " + shell_quote(key.path) + " -o " + shell_quote(dir / "inner.zst") + " " + shell_quote(dir / "m.brine.zst.age"));
    CHECK(read_file(dir / "inner.zst") == read_file(dir / "m.brine.zst"));
    CHECK(brine::load<decltype(tree)>(dir / "m.brine.zst.age", {.identities = {key.path.string()}}) == tree);

    // joblib output the same way: x.pkl.gz.age = age(gzip(pickle)).
    joblib::dump(tree, dir / "x.pkl.gz", {.threads = 2});
    joblib::dump(tree, dir / "x.pkl.gz.age", {.threads = 2, .recipients = {age::recipient_of(key.identity)}});
    run("age -d -i " + shell_quote(key.path) + " -o " + shell_quote(dir / "x.pkl.gz.out") + " " + shell_quote(dir / "x.pkl.gz.age"));
    CHECK(read_file(dir / "x.pkl.gz.out") == read_file(dir / "x.pkl.gz"));
    CHECK(joblib::load(dir / "x.pkl.gz.age", {.identities = {key.identity}}) == joblib::load(dir / "x.pkl.gz"));
}
