#include "storage/sqlite_schema.hpp"

namespace idclaim::storage {

namespace {

// The invariants of SPEC §11 live in this schema, not only in actors:
// I1 one active account per claim: partial unique index
//    accounts_one_active_per_claim;
// I2 usernames unique after NFKC + case fold: UNIQUE accounts.username_key;
// I3 at most 5 assist attempts per account and Asia/Shanghai day:
//    assist_quota.used CHECK, raised only by a conditional upsert;
// I4 a case or request leaves open/pending once: every close is an UPDATE
//    ... WHERE state = 'open' (or 'pending') whose row count is checked, and
//    the CHECKs tie closed_ms/processed_ms to the state.
// Keep docs/storage.md in step with this file.
constexpr std::string_view v1_schema = R"sql(
CREATE TABLE claims (
  id          INTEGER PRIMARY KEY,
  claim_key   BLOB NOT NULL UNIQUE,
  id_cipher   BLOB NOT NULL,
  lock_seq    INTEGER NOT NULL DEFAULT 0,
  created_ms  INTEGER NOT NULL
);

CREATE TABLE staff (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL,
  username_key  TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('reviewer', 'operator'))
);

CREATE TABLE accounts (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL,
  username_key         TEXT NOT NULL UNIQUE,
  password_hash        TEXT NOT NULL,
  name_cipher          BLOB NOT NULL,
  claim_id             INTEGER NOT NULL REFERENCES claims(id),
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
CREATE INDEX accounts_by_claim ON accounts(claim_id);
CREATE UNIQUE INDEX accounts_one_active_per_claim
  ON accounts(claim_id) WHERE status = 'active';
CREATE INDEX accounts_by_mobile ON accounts(mobile_index);

CREATE TABLE review_cases (
  id              INTEGER PRIMARY KEY,
  claim_id        INTEGER NOT NULL REFERENCES claims(id),
  account_id      INTEGER NOT NULL REFERENCES accounts(id),
  state           TEXT NOT NULL
                  CHECK (state IN ('open', 'approved', 'rejected', 'void')),
  reason          TEXT,
  submitted_ms    INTEGER NOT NULL,
  closed_ms       INTEGER,
  closed_by_staff INTEGER REFERENCES staff(id),
  CHECK ((state = 'open') = (closed_ms IS NULL))
);
CREATE UNIQUE INDEX review_cases_one_open_per_claimant
  ON review_cases(account_id) WHERE state = 'open';
CREATE INDEX review_cases_open_by_claim
  ON review_cases(claim_id) WHERE state = 'open';
CREATE INDEX review_cases_queue
  ON review_cases(submitted_ms, id) WHERE state = 'open';
CREATE INDEX review_cases_by_account ON review_cases(account_id);

CREATE TABLE review_photos (
  case_id      INTEGER NOT NULL REFERENCES review_cases(id),
  side         TEXT NOT NULL CHECK (side IN ('front', 'back')),
  content_type TEXT NOT NULL,
  photo_cipher BLOB NOT NULL,
  PRIMARY KEY (case_id, side)
);

CREATE TABLE assist_requests (
  id                      INTEGER PRIMARY KEY,
  claim_id                INTEGER NOT NULL REFERENCES claims(id),
  requester_id            INTEGER NOT NULL REFERENCES accounts(id),
  classmate_id            INTEGER NOT NULL REFERENCES accounts(id),
  requester_mobile_cipher BLOB NOT NULL,
  state                   TEXT NOT NULL
                          CHECK (state IN ('pending', 'approved', 'declined',
                                           'expired', 'void')),
  sent_ms                 INTEGER NOT NULL,
  expires_ms              INTEGER NOT NULL,
  processed_ms            INTEGER,
  CHECK ((state = 'pending') = (processed_ms IS NULL))
);
CREATE INDEX assist_by_requester ON assist_requests(requester_id, id);
CREATE INDEX assist_by_classmate ON assist_requests(classmate_id, id);
CREATE INDEX assist_pending_by_claim
  ON assist_requests(claim_id) WHERE state = 'pending';
CREATE INDEX assist_pending_expiry
  ON assist_requests(expires_ms) WHERE state = 'pending';

CREATE TABLE assist_quota (
  account_id INTEGER NOT NULL REFERENCES accounts(id),
  day        TEXT NOT NULL,
  used       INTEGER NOT NULL CHECK (used BETWEEN 1 AND 5),
  PRIMARY KEY (account_id, day)
);

CREATE TABLE inbox_items (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts(id),
  kind              TEXT NOT NULL,
  assist_request_id INTEGER REFERENCES assist_requests(id),
  review_case_id    INTEGER REFERENCES review_cases(id),
  detail            TEXT NOT NULL DEFAULT '',
  created_ms        INTEGER NOT NULL,
  read_ms           INTEGER
);
CREATE INDEX inbox_by_account ON inbox_items(account_id, id);
CREATE INDEX inbox_unread ON inbox_items(account_id) WHERE read_ms IS NULL;
CREATE INDEX inbox_by_request ON inbox_items(assist_request_id);

CREATE TABLE claim_events (
  id         INTEGER PRIMARY KEY,
  claim_id   INTEGER NOT NULL REFERENCES claims(id),
  at_ms      INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  account_id INTEGER,
  staff_id   INTEGER,
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX claim_events_by_claim ON claim_events(claim_id, id);

CREATE TABLE sessions (
  token_digest BLOB PRIMARY KEY,
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('account', 'staff')),
  subject_id   INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL
);
CREATE INDEX sessions_by_subject ON sessions(subject_kind, subject_id);

CREATE TABLE login_log (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER REFERENCES accounts(id),
  at_ms      INTEGER NOT NULL,
  ip         TEXT NOT NULL,
  client     TEXT NOT NULL,
  success    INTEGER NOT NULL
);
CREATE INDEX login_log_by_account ON login_log(account_id, id);
CREATE INDEX login_log_by_ip ON login_log(ip, at_ms);

CREATE TABLE student_records (
  id             INTEGER PRIMARY KEY,
  id_index       BLOB NOT NULL UNIQUE,
  id_cipher      BLOB NOT NULL,
  name_cipher    BLOB NOT NULL,
  name_index     BLOB NOT NULL,
  school         TEXT NOT NULL,
  class_name     TEXT NOT NULL,
  enrolment_year INTEGER NOT NULL,
  imported_ms    INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL
);
CREATE INDEX student_records_by_class
  ON student_records(school, class_name, enrolment_year);

CREATE TABLE sms_codes (
  id           INTEGER PRIMARY KEY,
  purpose      TEXT NOT NULL CHECK (purpose IN ('bind', 'recover')),
  mobile_index BLOB NOT NULL,
  account_id   INTEGER REFERENCES accounts(id),
  code_digest  BLOB NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL,
  tries        INTEGER NOT NULL DEFAULT 0,
  used_ms      INTEGER
);
CREATE INDEX sms_codes_by_mobile ON sms_codes(mobile_index, created_ms);
)sql";

} // namespace

const std::vector<migration>& sqlite_migrations() {
  static const std::vector<migration> all{{1, v1_schema}};
  return all;
}

} // namespace idclaim::storage
