// brine keygen -o FILE: a new age X25519 identity, written as age-keygen
// writes it (mode 0600, created without ever being readable by others);
// the recipient goes to stdout for the people who will encrypt to it.
#include "command.hpp"

#include <brine/crypto/age.hpp>
#include <brine/error.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace brine::cli {

namespace {

int run(const parsed_args& args) {
    const auto out = args.value("o") ? args.value("o") : args.value("output");
    if (!out) throw usage_error("keygen needs -o FILE");
    const std::string identity = age::generate_identity();
    std::string text = age::identity_file_text(identity);
    // O_EXCL: an existing key is never overwritten; 0600 from the start.
    const int fd = ::open(out->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw io_error({*out, std::nullopt}, std::string("cannot create the key file: ") + std::strerror(errno));
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        ::unlink(out->c_str());
        throw io_error({*out, std::nullopt}, "cannot write the key file");
    }
    std::cout << "Public key: " << age::recipient_of(identity) << '\n';
    return exit_ok;
}

}  // namespace

const command keygen_command{
    "write a new age identity (for encrypted files) and print its recipient",
    R"help(usage: brine keygen -o FILE

Writes a new X25519 identity in age's format (as age-keygen does) to FILE,
created with mode 0600 (an existing FILE is never overwritten), and prints
its public key, the recipient to encrypt to:

  brine keygen -o key.txt                       # Public key: age1...
  brine convert model.brine model.brine.zst.age -r age1...
  brine ls model.brine.zst.age -i key.txt
  age -d -i key.txt model.brine.zst.age > model.brine.zst   # the age tool reads it too

Options:
  -o, --output FILE   where to write the identity
  -h, --help          this text
)help",
    {"keygen", 0, 0, {{"o", true}, {"output", true}}},
    run,
};

}  // namespace brine::cli
