#include "crypto/argon2_workspace.hpp"

#include <stdexcept>

#include <argon2.h>
#include <sodium.h>
#include <sys/mman.h>

namespace idclaim::crypto {

namespace {

constexpr std::size_t salt_bytes = 16; ///< as libsodium's crypto_pwhash_str
constexpr std::size_t hash_bytes = 32;

/// libargon2 asks for its memory through a callback that carries no user
/// pointer, so the block to hand out is passed through this: set only for
/// the duration of one hash, on the hashing thread itself.
thread_local std::uint8_t* lent_block = nullptr;

int lend_block(std::uint8_t** memory, std::size_t) {
  *memory = lent_block;
  return *memory != nullptr ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
}

void keep_block(std::uint8_t*, std::size_t) {
  // The workspace keeps it; libargon2 has already wiped it.
}

std::string base64(const std::uint8_t* data, std::size_t size) {
  auto variant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(out.size() - 1); // the encoder's terminating NUL
  return out;
}

} // namespace

argon2_workspace::~argon2_workspace() {
  if (block_ != nullptr)
    munmap(block_, size_);
}

void argon2_workspace::reserve(std::size_t bytes) {
  if (bytes <= size_)
    return;
  if (block_ != nullptr)
    munmap(block_, size_);
  block_ = nullptr;
  size_ = 0;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw std::runtime_error("out of memory while hashing a password");
  // Fewer page faults and TLB misses; only a hint.
  madvise(p, bytes, MADV_HUGEPAGE);
  block_ = static_cast<std::uint8_t*>(p);
  size_ = bytes;
}

std::string argon2_workspace::hash(std::string_view password,
                                   std::uint32_t passes,
                                   std::uint32_t memory_kib) {
  reserve(std::size_t{memory_kib} * 1024);
  std::uint8_t salt[salt_bytes];
  randombytes_buf(salt, sizeof salt);
  std::uint8_t out[hash_bytes];
  // libargon2 wants a non-null password pointer even when it is empty, and
  // a mutable one: it would only write to it with ARGON2_FLAG_CLEAR_PASSWORD,
  // which is not set.
  static const char nothing = '\0';
  argon2_context ctx{};
  ctx.out = out;
  ctx.outlen = sizeof out;
  ctx.pwd = reinterpret_cast<std::uint8_t*>(
    const_cast<char*>(password.empty() ? &nothing : password.data()));
  ctx.pwdlen = static_cast<std::uint32_t>(password.size());
  ctx.salt = salt;
  ctx.saltlen = sizeof salt;
  ctx.t_cost = passes;
  ctx.m_cost = memory_kib;
  ctx.lanes = 1;
  ctx.threads = 1;
  ctx.version = ARGON2_VERSION_13;
  ctx.allocate_cbk = lend_block;
  ctx.free_cbk = keep_block;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  lent_block = block_;
  int rc = argon2id_ctx(&ctx);
  lent_block = nullptr;
  if (rc != ARGON2_OK)
    throw std::runtime_error(std::string{"password hash failed: "}
                             + argon2_error_message(rc));
  return "$argon2id$v=19$m=" + std::to_string(memory_kib)
         + ",t=" + std::to_string(passes) + ",p=1$"
         + base64(salt, sizeof salt) + "$" + base64(out, sizeof out);
}

} // namespace idclaim::crypto
