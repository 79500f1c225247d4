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

/// The key-file steps of a blind-index key rotation (docs/key-rotation.md);
/// the recomputing of stored indexes is storage::reindex_sweep.

/// Step 1: adds a fresh blind-index key to the key file WITHOUT making it
/// current: servers that read this file look values up under both keys but
/// still write under the old one, like the servers that have not re-read
/// the file yet. When the file already holds two index keys, a rotation was
/// interrupted and nothing is added. Returns the key set now in the file.
/// Throws key_file_error.
key_set begin_index_rotation(const std::string& path);

/// Step 2 (once every server has re-read step 1's file): makes the newer
/// of two index keys (the higher id) current, so written values are under
/// it. Does nothing with one index key or when it is current already.
/// Returns the key set now in the file. Throws key_file_error.
key_set switch_index_key(const std::string& path);

/// Step 3: rewrites the key file without the index key that is not
/// current, once no stored index is under it. Returns how many keys were
/// removed (0 or 1). Throws key_file_error.
int finish_index_rotation(const std::string& path);

} // namespace idclaim::crypto
