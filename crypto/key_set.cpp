#include "crypto/key_set.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

namespace idclaim::crypto {

// -- secret_key ---------------------------------------------------------------

secret_key::secret_key() noexcept : bytes_{} {
  // nop
}

secret_key secret_key::random() {
  secret_key key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

secret_key::secret_key(const secret_key& other) noexcept
  : bytes_(other.bytes_) {
  // nop
}

secret_key& secret_key::operator=(const secret_key& other) noexcept {
  bytes_ = other.bytes_;
  return *this;
}

secret_key::~secret_key() {
  sodium_memzero(bytes_.data(), bytes_.size());
}

bool secret_key::operator==(const secret_key& other) const noexcept {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), size) == 0;
}

// -- key_set ------------------------------------------------------------------

key_set::key_set(key_id enc_id, secret_key enc_key, key_id index_id,
                 secret_key index_key)
  : current_enc_id_(enc_id), current_index_id_(index_id) {
  if (enc_id == 0 || index_id == 0)
    throw std::invalid_argument("key id 0 is reserved");
  enc_keys_.emplace(enc_id, enc_key);
  index_keys_.emplace(index_id, index_key);
}

key_set key_set::generate() {
  return key_set(1, secret_key::random(), 1, secret_key::random());
}

const secret_key& key_set::current_encryption_key() const {
  // The invariant (current id always present) makes this lookup total.
  return enc_keys_.at(current_enc_id_);
}

const secret_key* key_set::encryption_key(key_id id) const noexcept {
  auto i = enc_keys_.find(id);
  return i == enc_keys_.end() ? nullptr : &i->second;
}

std::vector<key_id> key_set::encryption_ids() const {
  std::vector<key_id> ids;
  ids.reserve(enc_keys_.size());
  for (auto& entry : enc_keys_)
    ids.push_back(entry.first);
  return ids;
}

void key_set::add_encryption_key(key_id id, secret_key key) {
  if (id == 0)
    throw std::invalid_argument("key id 0 is reserved");
  if (!enc_keys_.emplace(id, key).second)
    throw std::invalid_argument("encryption key id already in use");
}

void key_set::set_current_encryption_id(key_id id) {
  if (enc_keys_.count(id) == 0)
    throw std::invalid_argument("no encryption key with that id");
  current_enc_id_ = id;
}

key_id key_set::rotate_encryption_key() {
  // Continuing after the highest id keeps ids in rotation order. Even if a
  // removed id were reused, values sealed under the old key would fail
  // authentication rather than decrypt to garbage.
  auto highest = enc_keys_.rbegin()->first;
  if (highest == 255)
    throw std::length_error("all encryption key ids are used");
  auto id = static_cast<key_id>(highest + 1);
  add_encryption_key(id, secret_key::random());
  current_enc_id_ = id;
  return id;
}

void key_set::remove_encryption_key(key_id id) {
  if (id == current_enc_id_)
    throw std::invalid_argument("cannot remove the current encryption key");
  if (enc_keys_.erase(id) == 0)
    throw std::invalid_argument("no encryption key with that id");
}

const secret_key& key_set::index_key() const {
  // The invariant (current id always present) makes this lookup total.
  return index_keys_.at(current_index_id_);
}

const secret_key* key_set::index_key(key_id id) const noexcept {
  auto i = index_keys_.find(id);
  return i == index_keys_.end() ? nullptr : &i->second;
}

std::vector<key_id> key_set::index_ids() const {
  std::vector<key_id> ids{current_index_id_};
  for (auto& entry : index_keys_)
    if (entry.first != current_index_id_)
      ids.push_back(entry.first);
  return ids;
}

void key_set::add_index_key(key_id id, secret_key key) {
  if (id == 0)
    throw std::invalid_argument("key id 0 is reserved");
  if (index_keys_.size() >= max_index_keys)
    throw std::invalid_argument("too many blind-index keys");
  if (!index_keys_.emplace(id, key).second)
    throw std::invalid_argument("blind-index key id already in use");
}

void key_set::set_current_index_id(key_id id) {
  if (index_keys_.count(id) == 0)
    throw std::invalid_argument("no blind-index key with that id");
  current_index_id_ = id;
}

key_id key_set::add_next_index_key() {
  auto highest = index_keys_.rbegin()->first;
  if (highest == 255)
    throw std::length_error("all blind-index key ids are used");
  auto id = static_cast<key_id>(highest + 1);
  add_index_key(id, secret_key::random());
  return id;
}

void key_set::remove_index_key(key_id id) {
  if (id == current_index_id_)
    throw std::invalid_argument("cannot remove the current blind-index key");
  if (index_keys_.erase(id) == 0)
    throw std::invalid_argument("no blind-index key with that id");
}

// -- the text format ----------------------------------------------------------

namespace {

constexpr size_t hex_key_size = secret_key::size * 2;

/// Upper bound for a key file: 256 keys at under 80 bytes a line fit easily.
/// It also keeps a wrong path (a log file, a device) from being slurped.
constexpr size_t max_file_size = 64 * 1024;

constexpr std::string_view file_header
  = "# idclaim key file: the secret keys that protect stored personal data.\n"
    "# Keep it private (mode 0600) and back it up: without it, encrypted\n"
    "# data cannot be read and blind indexes cannot be recomputed.\n"
    "#   enc.<id> = 64 hex digits    an encryption key (id 1-255)\n"
    "#   enc.current = <id>          the key that encrypts new data\n"
    "#   index.<id> = 64 hex digits  a blind-index key (two during a\n"
    "#                               rotation of the index key)\n"
    "#   index.current = <id>        the index key of values written (only\n"
    "#                               with two index keys)\n";

/// A string whose bytes are wiped on destruction. Its capacity is reserved
/// up front so appending never reallocates and leaves a stray copy behind.
class wiped_text {
public:
  explicit wiped_text(size_t capacity) { text_.reserve(capacity); }

  wiped_text(const wiped_text&) = delete;
  wiped_text& operator=(const wiped_text&) = delete;

  ~wiped_text() { sodium_memzero(text_.data(), text_.size()); }

  std::string& get() noexcept { return text_; }

private:
  std::string text_;
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw key_file_error("key file " + path + ": " + what);
}

std::string errno_text() {
  return std::error_code(errno, std::generic_category()).message();
}

void append_key_line(std::string& out, std::string_view name, key_id id,
                     const secret_key& key) {
  char hex[hex_key_size + 1];
  sodium_bin2hex(hex, sizeof hex, key.data(), secret_key::size);
  out.append(name).append(".").append(std::to_string(id)).append(" = ");
  out.append(hex, hex_key_size).append("\n");
  sodium_memzero(hex, sizeof hex);
}

void render(const key_set& keys, std::string& out) {
  out.append(file_header);
  out.append("enc.current = ")
    .append(std::to_string(keys.current_encryption_id()))
    .append("\n");
  for (auto id : keys.encryption_ids())
    append_key_line(out, "enc", id, *keys.encryption_key(id));
  auto index_ids = keys.index_ids();
  // A file with one index key stays in the format older binaries read.
  if (index_ids.size() > 1)
    out.append("index.current = ")
      .append(std::to_string(keys.index_key_id()))
      .append("\n");
  std::sort(index_ids.begin(), index_ids.end());
  for (auto id : index_ids)
    append_key_line(out, "index", id, *keys.index_key(id));
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view blanks = " \t\r";
  auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  auto last = s.find_last_not_of(blanks);
  return s.substr(first, last - first + 1);
}

/// Parses a decimal key id in 1..255, without sign or leading zeros.
std::optional<key_id> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 3 || text[0] == '0')
    return std::nullopt;
  unsigned value = 0;
  auto [end, ec]
    = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value > 255)
    return std::nullopt;
  return static_cast<key_id>(value);
}

/// Decodes exactly 64 hex digits straight into `out`.
bool decode_key(std::string_view hex, secret_key& out) {
  if (hex.size() != hex_key_size)
    return false;
  size_t written = 0;
  const char* end = nullptr;
  auto rc = sodium_hex2bin(out.data(), secret_key::size, hex.data(), hex.size(),
                           nullptr, &written, &end);
  return rc == 0 && written == secret_key::size
         && end == hex.data() + hex.size();
}

/// Collects the entries of a key file before they are checked as a whole.
/// Messages name the line and the entry kind, never the text of the line,
/// since a mangled line may well be a key.
class key_file_parser {
public:
  explicit key_file_parser(const std::string& path) : path_(path) {
    // nop
  }

  void parse(std::string_view text) {
    size_t line_no = 0;
    while (!text.empty()) {
      auto eol = text.find('\n');
      auto line = text.substr(0, eol);
      text = eol == std::string_view::npos ? std::string_view{}
                                           : text.substr(eol + 1);
      ++line_no;
      line = trim(line);
      if (!line.empty() && line.front() != '#')
        parse_line(line_no, line);
    }
  }

  key_set finish() {
    if (enc_keys_.empty())
      fail(path_, "no encryption key (enc.<id>)");
    if (!current_)
      fail(path_, "no enc.current entry");
    if (enc_keys_.count(*current_) == 0)
      fail(path_, "enc.current names an encryption key that is not present");
    if (index_keys_.empty())
      fail(path_, "no blind-index key (index.<id>)");
    // One index key is current by itself (the format before rotations of
    // the index key); two must say which one computes written values.
    if (!index_current_ && index_keys_.size() > 1)
      fail(path_, "two blind-index keys but no index.current entry");
    auto index_current = index_current_.value_or(index_keys_.begin()->first);
    if (index_keys_.count(index_current) == 0)
      fail(path_, "index.current names a blind-index key that is not "
                  "present");
    auto current = enc_keys_.find(*current_);
    key_set keys(current->first, current->second, index_current,
                 index_keys_.at(index_current));
    for (auto& [id, key] : enc_keys_)
      if (id != *current_)
        keys.add_encryption_key(id, key);
    for (auto& [id, key] : index_keys_)
      if (id != index_current)
        keys.add_index_key(id, key);
    return keys;
  }

private:
  [[noreturn]] void fail_line(size_t line_no, const std::string& what) {
    fail(path_, "line " + std::to_string(line_no) + ": " + what);
  }

  void parse_line(size_t line_no, std::string_view line) {
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      fail_line(line_no, "expected 'name = value'");
    auto name = trim(line.substr(0, eq));
    auto value = trim(line.substr(eq + 1));
    if (name == "enc.current")
      parse_current(line_no, value);
    else if (name == "index.current")
      parse_index_current(line_no, value);
    else if (name.substr(0, 4) == "enc.")
      parse_enc_key(line_no, name.substr(4), value);
    else if (name.substr(0, 6) == "index.")
      parse_index_key(line_no, name.substr(6), value);
    else
      fail_line(line_no, "unknown entry (expected enc.<id>, enc.current, "
                         "index.<id> or index.current)");
  }

  key_id parse_id_or_fail(size_t line_no, std::string_view text) {
    auto id = parse_id(text);
    if (!id)
      fail_line(line_no, "key id must be a number from 1 to 255");
    return *id;
  }

  void parse_current(size_t line_no, std::string_view value) {
    if (current_)
      fail_line(line_no, "enc.current appears twice");
    current_ = parse_id_or_fail(line_no, value);
  }

  void parse_enc_key(size_t line_no, std::string_view id_text,
                     std::string_view value) {
    auto id = parse_id_or_fail(line_no, id_text);
    if (enc_keys_.count(id) != 0)
      fail_line(line_no, "encryption key id appears twice");
    decode_or_fail(line_no, value, enc_keys_[id]);
  }

  void parse_index_current(size_t line_no, std::string_view value) {
    if (index_current_)
      fail_line(line_no, "index.current appears twice");
    index_current_ = parse_id_or_fail(line_no, value);
  }

  void parse_index_key(size_t line_no, std::string_view id_text,
                       std::string_view value) {
    auto id = parse_id_or_fail(line_no, id_text);
    if (index_keys_.count(id) != 0)
      fail_line(line_no, "blind-index key id appears twice");
    if (index_keys_.size() >= key_set::max_index_keys)
      fail_line(line_no, "more than two blind-index keys");
    decode_or_fail(line_no, value, index_keys_[id]);
  }

  void decode_or_fail(size_t line_no, std::string_view value, secret_key& out) {
    if (!decode_key(value, out))
      fail_line(line_no, "a key must be exactly 64 hex digits");
  }

  const std::string& path_;
  std::map<key_id, secret_key> enc_keys_;
  std::optional<key_id> current_;
  std::map<key_id, secret_key> index_keys_;
  std::optional<key_id> index_current_;
};

// -- file I/O -----------------------------------------------------------------

/// Closes a file descriptor on scope exit.
class fd_guard {
public:
  explicit fd_guard(int fd) noexcept : fd_(fd) {
    // nop
  }

  fd_guard(const fd_guard&) = delete;
  fd_guard& operator=(const fd_guard&) = delete;

  ~fd_guard() {
    if (fd_ >= 0)
      ::close(fd_);
  }

  int get() const noexcept { return fd_; }

  /// Closes now so the caller sees a failing close (which can report a
  /// failed delayed write).
  int close() noexcept {
    auto rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

private:
  int fd_;
};

/// Checks the file behind `fd` (not the path, so a swap between check and
/// read cannot fool us) is a private regular file of a sane size.
void check_private_file(const std::string& path, int fd) {
  struct stat st;
  if (::fstat(fd, &st) != 0)
    fail(path, "cannot stat: " + errno_text());
  if (!S_ISREG(st.st_mode))
    fail(path, "is not a regular file");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
    fail(path, std::string{"is accessible by group or others (mode "} + mode
                 + "); it holds secret keys, so run: chmod 600 " + path);
  }
  if (static_cast<size_t>(st.st_size) > max_file_size)
    fail(path, "is too large to be a key file");
}

/// Reads at most max_file_size bytes into `out` (whose capacity is already
/// reserved, so nothing is reallocated).
void read_all(const std::string& path, int fd, std::string& out) {
  char chunk[4096];
  for (;;) {
    auto n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(path, "cannot read: " + errno_text());
    if (n == 0)
      break;
    if (out.size() + static_cast<size_t>(n) > max_file_size)
      fail(path, "is too large to be a key file");
    out.append(chunk, static_cast<size_t>(n));
  }
  sodium_memzero(chunk, sizeof chunk);
}

void write_all(const std::string& path, int fd, std::string_view data) {
  while (!data.empty()) {
    auto n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      fail(path, "cannot write: " + errno_text());
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string parent_dir(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string{"."} : parent.string();
}

/// Makes a new directory entry durable. Without it a crash could lose the
/// key file while data encrypted under its keys survives.
void sync_dir(const std::string& path) {
  auto dir = parent_dir(path);
  fd_guard fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0)
    fail(path, "cannot sync directory " + dir + ": " + errno_text());
}

/// Writes `data` to a new, private, fsynced file next to `path` and returns
/// its name. O_EXCL with mode 0600 means the file is never readable by
/// anyone else, not even briefly, and never one planted beforehand.
std::string write_temp_file(const std::string& path, std::string_view data) {
  unsigned char salt[8];
  randombytes_buf(salt, sizeof salt);
  char salt_hex[sizeof salt * 2 + 1];
  sodium_bin2hex(salt_hex, sizeof salt_hex, salt, sizeof salt);
  auto tmp = path + ".tmp-" + salt_hex;
  fd_guard fd(::open(tmp.c_str(),
                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                     S_IRUSR | S_IWUSR));
  if (fd.get() < 0)
    fail(path, "cannot create: " + errno_text());
  try {
    // The umask may only have removed bits; this states the mode exactly.
    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0)
      fail(path, "cannot set mode 0600: " + errno_text());
    write_all(path, fd.get(), data);
    if (::fsync(fd.get()) != 0)
      fail(path, "cannot sync: " + errno_text());
    if (fd.close() != 0)
      fail(path, "cannot close: " + errno_text());
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  return tmp;
}

/// Writes `keys` to `path`; `replace` chooses rename (overwrite) over link
/// (fail if the file exists).
void write_key_file(const std::string& path, const key_set& keys,
                    bool replace) {
  wiped_text text(max_file_size);
  render(keys, text.get());
  auto tmp = write_temp_file(path, text.get());
  auto rc = replace ? ::rename(tmp.c_str(), path.c_str())
                    : ::link(tmp.c_str(), path.c_str());
  auto saved_errno = errno;
  // After a link the file has two names; after a failure, one too many.
  if (!replace || rc != 0)
    ::unlink(tmp.c_str());
  if (rc != 0) {
    errno = saved_errno;
    if (errno == EEXIST)
      fail(path, "already exists; refusing to overwrite it");
    fail(path, "cannot move into place: " + errno_text());
  }
  try {
    sync_dir(path);
  } catch (...) {
    // A new file that may not survive a crash must not be used; a replaced
    // one still holds every key the old one did, so it can stay.
    if (!replace)
      ::unlink(path.c_str());
    throw;
  }
}

} // namespace

// -- key file functions -------------------------------------------------------

bool key_file_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

key_set load_key_file(const std::string& path) {
  fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    fail(path, "cannot open: " + errno_text());
  check_private_file(path, fd.get());
  wiped_text text(max_file_size);
  read_all(path, fd.get(), text.get());
  key_file_parser parser(path);
  parser.parse(text.get());
  return parser.finish();
}

key_set create_key_file(const std::string& path) {
  auto keys = key_set::generate();
  write_key_file(path, keys, false);
  return keys;
}

void save_key_file(const std::string& path, const key_set& keys) {
  write_key_file(path, keys, true);
}

} // namespace idclaim::crypto
