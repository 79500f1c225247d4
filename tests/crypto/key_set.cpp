#define CAF_SUITE crypto.key_set
#include <caf/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/hex.hpp"
#include "crypto/key_set.hpp"

using namespace idclaim::crypto;

namespace {

/// A hex key that appears in the malformed files below; no error message may
/// contain it, nor any recognisable piece of it.
const std::string sample_hex
  = "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";
const std::string other_hex
  = "aaaaaaaabbbbbbbbccccccccdddddddd11111111222222223333333344444444";

/// A private temporary directory, removed with everything in it.
struct fixture {
  std::string dir;

  fixture() {
    char tpl[] = "/tmp/idclaim-crypto-test-XXXXXX";
    if (::mkdtemp(tpl) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    dir = tpl;
  }

  ~fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  std::string path(const std::string& name) const { return dir + "/" + name; }

  /// Writes `text` to a new file with exactly `mode`.
  std::string write(const std::string& name, const std::string& text,
                    mode_t mode = 0600) const {
    auto file = path(name);
    std::ofstream(file) << text;
    ::chmod(file.c_str(), mode);
    return file;
  }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (auto& entry : std::filesystem::directory_iterator(dir))
      names.push_back(entry.path().filename().string());
    return names;
  }
};

mode_t mode_of(const std::string& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0)
    return 0;
  return st.st_mode & 07777;
}

std::string read_text(const std::string& file) {
  std::ifstream in(file);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// The message of the key_file_error `f` throws, or "" when it throws none.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const key_file_error& e) {
    return e.what();
  }
  return {};
}

/// True when `msg` holds any 8-character run of `hex`.
bool leaks(const std::string& msg, const std::string& hex) {
  for (size_t i = 0; i + 8 <= hex.size(); ++i)
    if (msg.find(hex.substr(i, 8)) != std::string::npos)
      return true;
  return false;
}

bool same_keys(const key_set& a, const key_set& b) {
  if (a.encryption_ids() != b.encryption_ids()
      || a.current_encryption_id() != b.current_encryption_id()
      || a.index_key_id() != b.index_key_id() || a.index_key() != b.index_key()
      || a.index_ids() != b.index_ids())
    return false;
  for (auto id : a.index_ids())
    if (*a.index_key(id) != *b.index_key(id))
      return false;
  for (auto id : a.encryption_ids())
    if (*a.encryption_key(id) != *b.encryption_key(id))
      return false;
  return true;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(key_file_tests, fixture)

CAF_TEST(create_key_file makes a private file and nothing else) {
  auto file = path("keys");
  CAF_CHECK(!key_file_exists(file));
  create_key_file(file);
  CAF_CHECK(key_file_exists(file));
  CAF_CHECK_EQUAL(mode_of(file), 0600u);
  // The temporary file it was written under is gone.
  CAF_CHECK(entries() == std::vector<std::string>{"keys"});
}

CAF_TEST(the key file is documented text) {
  auto file = path("keys");
  auto keys = create_key_file(file);
  auto text = read_text(file);
  CAF_CHECK_EQUAL(text.rfind("# idclaim key file", 0), 0u);
  CAF_CHECK(text.find("\nenc.current = 1\n") != std::string::npos);
  auto enc_hex = to_hex(std::string(
    reinterpret_cast<const char*>(keys.current_encryption_key().data()),
    secret_key::size));
  CAF_CHECK(text.find("\nenc.1 = " + enc_hex + "\n") != std::string::npos);
  CAF_CHECK(text.find("\nindex.1 = ") != std::string::npos);
}

CAF_TEST(reloading gives the same keys) {
  auto file = path("keys");
  auto created = create_key_file(file);
  auto loaded = load_key_file(file);
  CAF_CHECK(same_keys(created, loaded));
  CAF_CHECK(created.current_encryption_key() != created.index_key());
  CAF_CHECK(!same_keys(created, key_set::generate()));
}

CAF_TEST(create_key_file never overwrites) {
  auto file = path("keys");
  auto first = create_key_file(file);
  auto msg = error_of([&] { create_key_file(file); });
  CAF_CHECK(msg.find("already exists") != std::string::npos);
  CAF_CHECK(same_keys(first, load_key_file(file)));
  CAF_CHECK(entries() == std::vector<std::string>{"keys"});
}

CAF_TEST(create_key_file reports a missing directory) {
  auto msg = error_of([&] { create_key_file(path("no/such/keys")); });
  CAF_CHECK(msg.find("no/such/keys") != std::string::npos);
}

CAF_TEST(a key file readable by others is refused) {
  auto file = path("keys");
  create_key_file(file);
  for (mode_t mode : {0644, 0640, 0604, 0660, 0602}) {
    ::chmod(file.c_str(), mode);
    auto msg = error_of([&] { load_key_file(file); });
    CAF_CHECK(msg.find("group or others") != std::string::npos);
    CAF_CHECK(msg.find("chmod 600") != std::string::npos);
  }
  ::chmod(file.c_str(), 0400);
  CAF_CHECK(error_of([&] { load_key_file(file); }).empty());
}

CAF_TEST(a missing file or a directory is refused) {
  CAF_CHECK(error_of([&] { load_key_file(path("none")); }).find("cannot open")
            != std::string::npos);
  ::mkdir(path("sub").c_str(), 0700);
  CAF_CHECK(error_of([&] { load_key_file(path("sub")); }).find("regular")
            != std::string::npos);
}

CAF_TEST(malformed key files are refused without echoing key material) {
  auto enc = "enc.1 = " + sample_hex + "\n";
  auto idx = "index.1 = " + other_hex + "\n";
  auto cur = std::string{"enc.current = 1\n"};
  std::vector<std::string> bad{
    "",
    "# only a comment\n",
    cur + idx,                                          // no encryption key
    enc + idx,                                          // no enc.current
    cur + enc,                                          // no index key
    "enc.current = 2\n" + enc + idx,                    // current key absent
    cur + enc + enc + idx,                              // duplicate id
    cur + cur + enc + idx,                              // duplicate current
    cur + enc + idx + "index.2 = " + sample_hex + "\n", // two, no current
    cur + enc + idx + "index.current = 2\n",            // index current absent
    cur + enc + idx + "index.2 = " + sample_hex + "\nindex.3 = " + other_hex
      + "\nindex.current = 2\n",                   // three index keys
    cur + enc + idx + idx + "index.current = 1\n", // duplicate index id
    cur + enc + idx + "index.current = 1\nindex.current = 1\n",
    cur + enc + idx + sample_hex + "\n",                  // a bare key, no '='
    cur + enc + idx + sample_hex + " = 1\n",              // a key as a name
    cur + "enc.1 = " + sample_hex.substr(1) + "\n" + idx, // 63 digits
    cur + "enc.1 = " + sample_hex + "0\n" + idx,          // 65 digits
    cur + "enc.1 = " + sample_hex.substr(0, 63) + "g\n" + idx, // non-hex
    cur + "enc.1 = " + sample_hex.substr(0, 30) + " " + sample_hex.substr(31)
      + "\n" + idx,                                        // inner space
    "enc.current = 0\nenc.0 = " + sample_hex + "\n" + idx, // id 0
    "enc.current = 256\nenc.256 = " + sample_hex + "\n" + idx,
    "enc.current = 01\nenc.01 = " + sample_hex + "\n" + idx,
    cur + "enc.x = " + sample_hex + "\n" + idx,
    cur + enc + idx + "enc.2 " + sample_hex + "\n",
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    auto file = write("bad" + std::to_string(i), bad[i]);
    auto msg = error_of([&] { load_key_file(file); });
    if (msg.empty())
      CAF_FAIL("malformed file " << i << " was accepted");
    CAF_CHECK(msg.find(file) != std::string::npos);
    if (leaks(msg, sample_hex) || leaks(msg, other_hex))
      CAF_FAIL("message for file " << i << " leaks key material");
  }
}

CAF_TEST(a hand - written file with comments and spacing loads) {
  auto file = write("keys", "# keys\n\n  enc.current=2\r\n"
                            "enc.1 = "
                              + sample_hex
                              + "\n"
                                "\tenc.2 ="
                              + other_hex
                              + "  \n"
                                "index.7 = "
                              + sample_hex + "\n");
  auto keys = load_key_file(file);
  CAF_CHECK_EQUAL(keys.current_encryption_id(), 2);
  CAF_CHECK(keys.encryption_ids() == std::vector<key_id>({1, 2}));
  CAF_CHECK_EQUAL(keys.index_key_id(), 7);
  auto enc1
    = std::string(reinterpret_cast<const char*>(keys.encryption_key(1)->data()),
                  secret_key::size);
  CAF_CHECK_EQUAL(to_hex(enc1), sample_hex);
}

CAF_TEST(save_key_file keeps old keys after a rotation) {
  auto file = path("keys");
  auto keys = create_key_file(file);
  auto old_key = keys.current_encryption_key();
  CAF_CHECK_EQUAL(keys.rotate_encryption_key(), 2);
  save_key_file(file, keys);
  CAF_CHECK_EQUAL(mode_of(file), 0600u);
  CAF_CHECK(entries() == std::vector<std::string>{"keys"});
  auto loaded = load_key_file(file);
  CAF_CHECK(same_keys(keys, loaded));
  CAF_CHECK_EQUAL(loaded.current_encryption_id(), 2);
  CAF_REQUIRE(loaded.encryption_key(1) != nullptr);
  CAF_CHECK(*loaded.encryption_key(1) == old_key);
}

CAF_TEST(a file of the format before index rotations loads unchanged) {
  // One index key and no index.current: what `keys create` wrote before
  // (and still writes). The single index key is current.
  auto file = write("keys", "enc.current = 1\nenc.1 = " + sample_hex
                              + "\nindex.4 = " + other_hex + "\n");
  auto keys = load_key_file(file);
  CAF_CHECK_EQUAL(keys.index_key_id(), 4);
  CAF_CHECK(keys.index_ids() == std::vector<key_id>({4}));
  // Saved again, it keeps that format (older binaries can read it).
  save_key_file(file, keys);
  CAF_CHECK(read_text(file).find("\nindex.current =") == std::string::npos);
  CAF_CHECK(same_keys(keys, load_key_file(file)));
}

CAF_TEST(two index keys round trip with index.current) {
  auto file = path("keys");
  auto keys = create_key_file(file);
  CAF_CHECK_EQUAL(keys.add_next_index_key(), 2);
  // The new index key is not current until switched.
  CAF_CHECK_EQUAL(keys.index_key_id(), 1);
  save_key_file(file, keys);
  auto text = read_text(file);
  CAF_CHECK(text.find("\nindex.current = 1\n") != std::string::npos);
  CAF_CHECK(text.find("\nindex.2 = ") != std::string::npos);
  auto loaded = load_key_file(file);
  CAF_CHECK(same_keys(keys, loaded));
  CAF_CHECK(loaded.index_ids() == std::vector<key_id>({1, 2}));
  keys.set_current_index_id(2);
  save_key_file(file, keys);
  loaded = load_key_file(file);
  CAF_CHECK_EQUAL(loaded.index_key_id(), 2);
  CAF_CHECK(loaded.index_ids() == std::vector<key_id>({2, 1}));
  CAF_CHECK(same_keys(keys, loaded));
}

CAF_TEST(a hand - written file with two index keys loads) {
  auto file = write("keys", "enc.current = 1\nenc.1 = " + sample_hex
                              + "\n"
                                "index.current = 3\nindex.2 = "
                              + sample_hex + "\nindex.3 = " + other_hex + "\n");
  auto keys = load_key_file(file);
  CAF_CHECK_EQUAL(keys.index_key_id(), 3);
  auto current = std::string(
    reinterpret_cast<const char*>(keys.index_key().data()), secret_key::size);
  CAF_CHECK_EQUAL(to_hex(current), other_hex);
  CAF_REQUIRE(keys.index_key(2) != nullptr);
  CAF_CHECK(keys.index_key(9) == nullptr);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(index key ids are managed safely) {
  auto keys = key_set::generate();
  auto expect_invalid = [](auto f) {
    try {
      f();
      CAF_FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument&) {
      // expected
    }
  };
  expect_invalid([&] { keys.remove_index_key(1); }); // the current one
  expect_invalid([&] { keys.set_current_index_id(2); });
  expect_invalid([&] { keys.add_index_key(0, secret_key::random()); });
  expect_invalid([&] { keys.add_index_key(1, secret_key::random()); });
  CAF_CHECK_EQUAL(keys.add_next_index_key(), 2);
  expect_invalid([&] { keys.add_next_index_key(); }); // at most two
  keys.set_current_index_id(2);
  keys.remove_index_key(1);
  CAF_CHECK(keys.index_ids() == std::vector<key_id>({2}));
  expect_invalid([&] { keys.remove_index_key(1); });
}

CAF_TEST(key ids are managed safely) {
  auto keys = key_set::generate();
  CAF_CHECK_EQUAL(keys.current_encryption_id(), 1);
  CAF_CHECK_EQUAL(keys.index_key_id(), 1);
  auto expect_invalid = [](auto f) {
    try {
      f();
      CAF_FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument&) {
      CAF_CHECK(true);
    }
  };
  expect_invalid([&] { keys.add_encryption_key(0, secret_key::random()); });
  expect_invalid([&] { keys.add_encryption_key(1, secret_key::random()); });
  expect_invalid([&] { keys.set_current_encryption_id(9); });
  expect_invalid([&] { keys.remove_encryption_key(1); });
  keys.add_encryption_key(5, secret_key::random());
  CAF_CHECK_EQUAL(keys.current_encryption_id(), 1);
  // Rotation continues after the highest id, never reusing one.
  CAF_CHECK_EQUAL(keys.rotate_encryption_key(), 6);
  keys.remove_encryption_key(1);
  CAF_CHECK(keys.encryption_key(1) == nullptr);
  CAF_CHECK(keys.encryption_ids() == std::vector<key_id>({5, 6}));
}
