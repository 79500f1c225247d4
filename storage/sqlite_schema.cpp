#include "storage/sqlite_schema.hpp"

namespace idclaim::storage {

namespace {

// Invariants live here, not only in actors (SPEC §11):
// I1 one active account per claim: the partial unique index
//    accounts_one_active_per_claim;
// I2 usernames unique after NFKC + case fold: UNIQUE username_key.
constexpr std::string_view v1_accounts_and_claims = R"sql(
CREATE TABLE claims (
  claim_key   BLOB PRIMARY KEY,
  id_cipher   BLOB NOT NULL,
  created_ms  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE accounts (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL,
  username_key         TEXT NOT NULL UNIQUE,
  password_hash        TEXT NOT NULL,
  name_cipher          BLOB NOT NULL,
  claim_key            BLOB NOT NULL REFERENCES claims(claim_key),
  mobile_cipher        BLOB,
  mobile_index         BLOB,
  email_cipher         BLOB,
  mobile_bound         INTEGER NOT NULL DEFAULT 0,
  status               TEXT NOT NULL
                       CHECK (status IN ('active', 'restricted', 'cancelled')),
  cancel_reason        TEXT,
  military_registered  INTEGER NOT NULL DEFAULT 0,
  grad_exam_registered INTEGER NOT NULL DEFAULT 0,
  created_ms           INTEGER NOT NULL,
  updated_ms           INTEGER NOT NULL
);
CREATE INDEX accounts_by_claim ON accounts(claim_key);
CREATE UNIQUE INDEX accounts_one_active_per_claim
  ON accounts(claim_key) WHERE status = 'active';
CREATE INDEX accounts_by_mobile ON accounts(mobile_index);

CREATE TABLE review_cases (
  id           INTEGER PRIMARY KEY,
  claim_key    BLOB NOT NULL REFERENCES claims(claim_key),
  account_id   INTEGER NOT NULL REFERENCES accounts(id),
  state        TEXT NOT NULL
               CHECK (state IN ('open', 'approved', 'rejected', 'void')),
  reason       TEXT,
  submitted_ms INTEGER NOT NULL,
  closed_ms    INTEGER
);
CREATE UNIQUE INDEX review_cases_one_open_per_claimant
  ON review_cases(account_id) WHERE state = 'open';
CREATE INDEX review_cases_open_by_claim
  ON review_cases(claim_key) WHERE state = 'open';

CREATE TABLE claim_events (
  id         INTEGER PRIMARY KEY,
  claim_key  BLOB NOT NULL,
  at_ms      INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  account_id INTEGER,
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claim_events_by_claim ON claim_events(claim_key, at_ms);

CREATE TABLE sessions (
  token_digest BLOB PRIMARY KEY,
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('account', 'staff')),
  subject_id   INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_subject ON sessions(subject_kind, subject_id);

CREATE TABLE staff (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL,
  username_key  TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('reviewer', 'operator'))
);

CREATE TABLE login_log (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER,
  at_ms      INTEGER NOT NULL,
  ip         TEXT NOT NULL,
  client     TEXT NOT NULL,
  success    INTEGER NOT NULL
);
CREATE INDEX login_log_by_account ON login_log(account_id, at_ms);
)sql";

} // namespace

const std::vector<migration>& sqlite_migrations() {
  static const std::vector<migration> all{{1, v1_accounts_and_claims}};
  return all;
}

} // namespace idclaim::storage
