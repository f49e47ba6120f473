// spill_options::encryption: the age filter of spilled values. Each stored
// value becomes a complete age file (header, nonce, 64 KiB chunks) under the
// store's one sealed header, so a store pays for the key wrapping (X25519 or
// scrypt) once, and every record still opens with `age -d` and the key.
//
//   DIR/AGE-HEADER  the header text of a persistent encrypted store (no
//                   payload): what wraps its file key for the recipients or
//                   the passphrase. A temporary store keeps it in memory only.
#pragma once

#include "store/spill_directory.hpp"
#include "store/spill_filter.hpp"

#include <brine/store/spill_options.hpp>

#include <memory>

namespace brine::store {

// The filter spill_options asks for, or nullptr when values are stored as
// they are. Throws brine::unsupported_error when a persistent store was
// created encrypted and no keys are given, brine::decryption_error when the
// keys do not open its header.
std::unique_ptr<spill_filter> make_encryption_filter(const spill_options& options, const spill_directory& dir);

}  // namespace brine::store
