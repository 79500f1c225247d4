#pragma once

#include <string>

#include "crypto/key_set.hpp"

namespace idclaim::crypto {

/// The key-file steps of an encryption-key rotation (docs/key-rotation.md);
/// the re-sealing of stored values in between is storage::reseal_sweep.

/// Step 1: adds a fresh encryption key to the key file at `path` and makes
/// it current, keeping the old keys for decryption. When the file already
/// holds several encryption keys, a rotation was interrupted: nothing is
/// added, so re-running `keys rotate` resumes it. Returns the key set now
/// in the file. Throws key_file_error.
key_set begin_encryption_rotation(const std::string& path);

/// Step 3: rewrites the key file without the encryption keys other than
/// the current one, once no stored value uses them. Returns how many keys
/// were removed. Throws key_file_error.
int finish_encryption_rotation(const std::string& path);

} // namespace idclaim::crypto
