#define CAF_SUITE crypto.key_source
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <stdlib.h>
#include <sys/stat.h>

#include "crypto/field_cipher.hpp"
#include "crypto/key_rotation.hpp"
#include "crypto/key_set.hpp"
#include "crypto/key_source.hpp"

using namespace idclaim::crypto;

namespace {

struct fixture {
  std::string dir;
  std::string path;

  fixture() {
    char tpl[] = "/tmp/idclaim-key-source-XXXXXX";
    if (::mkdtemp(tpl) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    dir = tpl;
    path = dir + "/secret.keys";
    create_key_file(path);
  }

  ~fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// A source following the file that checks it on every use.
  std::shared_ptr<const key_source> follow() const {
    auto keys = std::make_shared<const key_set>(load_key_file(path));
    return std::make_shared<const key_source>(keys, path, 0);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(key_source_tests, fixture)

CAF_TEST(a fixed source never changes) {
  auto keys = std::make_shared<const key_set>(key_set::generate());
  key_source src{keys};
  CAF_CHECK(src.current() == keys);
  CAF_CHECK(!src.reload_if_changed());
  CAF_CHECK_EQUAL(src.generation(), 0u);
}

CAF_TEST(a followed file is re - read when it changes) {
  auto src = follow();
  auto before = src->current();
  CAF_CHECK(!src->reload_if_changed()); // unchanged: nothing re-read
  auto keys = begin_encryption_rotation(path);
  auto now = src->current(); // interval 0: checked on this use
  CAF_CHECK(now != before);
  CAF_CHECK_EQUAL(now->current_encryption_id(), keys.current_encryption_id());
  CAF_CHECK_EQUAL(src->generation(), 1u);
  // The old snapshot stays valid for whoever still holds it.
  CAF_CHECK_EQUAL(before->encryption_ids().size(), 1u);
}

CAF_TEST(a file that does not parse keeps the last good keys) {
  auto src = follow();
  auto good = src->current();
  {
    std::ofstream out(path, std::ios::trunc);
    out << "garbage\n";
  }
  CAF_CHECK(!src->reload_if_changed());
  CAF_CHECK(src->current() == good);
}

CAF_TEST(a cipher opens a value sealed under a key added by another process) {
  // Two "processes": the writer follows the file like the reader does, but
  // the reader has not looked at the file since the new key appeared.
  auto reader_keys = std::make_shared<const key_set>(load_key_file(path));
  auto reader_src
    = std::make_shared<const key_source>(reader_keys, path, 3600 * 1000);
  field_cipher reader{reader_src};
  begin_encryption_rotation(path);
  field_cipher writer{follow()};
  auto sealed = writer.seal("13912345678", "account.mobile");
  CAF_CHECK_NOT_EQUAL(writer.key_id_of(sealed),
                      reader_keys->current_encryption_id());
  // The unknown key id makes the reader re-read the file once.
  CAF_CHECK_EQUAL(reader.open(sealed, "account.mobile").value_or(""),
                  "13912345678");
  CAF_CHECK_EQUAL(reader.current_key_id(), writer.key_id_of(sealed));
}

CAF_TEST(finishing a rotation removes every key but the current one) {
  auto old_keys = load_key_file(path);
  auto rotated = begin_encryption_rotation(path);
  CAF_CHECK_EQUAL(rotated.encryption_ids().size(), 2u);
  CAF_CHECK_EQUAL(finish_encryption_rotation(path), 1);
  auto after = load_key_file(path);
  CAF_CHECK_EQUAL(after.encryption_ids().size(), 1u);
  CAF_CHECK_EQUAL(after.current_encryption_id(),
                  rotated.current_encryption_id());
  CAF_CHECK(after.encryption_key(old_keys.current_encryption_id()) == nullptr);
  // The file stays private.
  struct stat st;
  CAF_REQUIRE_EQUAL(::stat(path.c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
  // Nothing to remove the second time.
  CAF_CHECK_EQUAL(finish_encryption_rotation(path), 0);
}

CAF_TEST(the index key rotation steps keep lookups working) {
  auto source = follow();
  auto first = load_key_file(path);
  auto old_id = first.index_key_id();
  // Step 1 adds a key that is not current; running it again adds nothing.
  auto step1 = begin_index_rotation(path);
  CAF_CHECK_EQUAL(step1.index_ids().size(), 2u);
  CAF_CHECK_EQUAL(step1.index_key_id(), old_id);
  CAF_CHECK_EQUAL(begin_index_rotation(path).index_ids().size(), 2u);
  CAF_CHECK_EQUAL(source->current()->index_ids().size(), 2u);
  // Step 2 makes the newer key current; again, it is a no-op.
  auto step2 = switch_index_key(path);
  auto new_id = step2.index_key_id();
  CAF_CHECK_NOT_EQUAL(new_id, old_id);
  CAF_CHECK_EQUAL(switch_index_key(path).index_key_id(), new_id);
  CAF_CHECK_EQUAL(source->current()->index_key_id(), new_id);
  CAF_CHECK(*source->current()->index_key(old_id) == first.index_key());
  // The encryption keys are untouched by all of this.
  CAF_CHECK(source->current()->encryption_ids() == first.encryption_ids());
  // Step 3 drops the old key, once.
  CAF_CHECK_EQUAL(finish_index_rotation(path), 1);
  CAF_CHECK_EQUAL(finish_index_rotation(path), 0);
  auto after = load_key_file(path);
  CAF_CHECK(after.index_ids() == std::vector<key_id>({new_id}));
  CAF_CHECK(after.index_key(old_id) == nullptr);
  CAF_CHECK(after.index_key() == step2.index_key());
  struct stat st;
  CAF_REQUIRE_EQUAL(::stat(path.c_str(), &st), 0);
  CAF_CHECK_EQUAL(st.st_mode & 0777, 0600u);
}

CAF_TEST(readers keep working while the file is swapped under them) {
  // Keys are only added here, so every value sealed under any snapshot
  // must open under every later one.
  auto src = follow();
  field_cipher cipher{src};
  std::atomic<int> failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto sealed = cipher.seal("110105199003071234", "claim.id_number");
        if (cipher.open(sealed, "claim.id_number") != "110105199003071234")
          ++failures;
      }
    });
  for (int i = 0; i < 20; ++i) {
    auto keys = load_key_file(path);
    keys.rotate_encryption_key();
    save_key_file(path, keys);
  }
  stop = true;
  for (auto& t : readers)
    t.join();
  CAF_CHECK_EQUAL(failures.load(), 0);
  CAF_CHECK_EQUAL(src->current()->encryption_ids().size(), 21u);
}

CAF_TEST_FIXTURE_SCOPE_END()
