#include "storage/pg_driver.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <vector>

#include <pqxx/pqxx>

#include "crypto/hex.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::storage::detail {

/// One statement parameter as PostgreSQL receives it: text, or SQL NULL.
/// The server infers each parameter's type from the statement.
struct pg_text {
  std::optional<std::string> value;
};

} // namespace idclaim::storage::detail

namespace pqxx {

/// Lets `pqxx::prepare::make_dynamic_params` pass `pg_text` values.
template <>
struct string_traits<idclaim::storage::detail::pg_text> {
  using type = idclaim::storage::detail::pg_text;
  static constexpr const char* name() noexcept { return "pg_text"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const type& v) { return !v.value.has_value(); }
  static type null() { return {}; }
  [[noreturn]] static void from_string(const char*, type&) {
    throw conversion_error("pg_text is only ever sent");
  }
  static std::string to_string(const type& v) { return *v.value; }
};

} // namespace pqxx

namespace idclaim::storage {

namespace {

using detail::pg_text;

/// PostgreSQL's type oid for bytea.
constexpr pqxx::oid bytea_oid = 17;

/// Statements are named in the log by their first characters only.
constexpr std::size_t sql_excerpt = 60;

pg_text bytes_param(std::string_view bytes) {
  return pg_text{"\\x" + crypto::to_hex(bytes)};
}

pg_text to_text(const sql_param& p) {
  return std::visit(
    [](auto& v) -> pg_text {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, std::nullptr_t>)
        return {};
      else if constexpr (std::is_same_v<T, int64_t>)
        return pg_text{std::to_string(v)};
      else if constexpr (std::is_same_v<T, std::string_view>)
        return pg_text{std::string{v}};
      else if constexpr (std::is_same_v<T, blob_param>)
        return bytes_param(v.bytes);
      else if (v.bytes.empty())
        return {};
      else
        return bytes_param(v.bytes);
    },
    p);
}

sql_result to_result(const pqxx::result& r) {
  sql_result out;
  out.rows.reserve(r.size());
  for (const auto& row : r) {
    std::vector<std::optional<std::string>> cols;
    cols.reserve(row.size());
    for (const auto& f : row) {
      if (f.is_null())
        cols.emplace_back();
      else if (f.type() == bytea_oid)
        cols.emplace_back(pqxx::binarystring{f}.str());
      else
        cols.emplace_back(std::string{f.c_str(), f.size()});
    }
    out.rows.emplace_back(std::move(cols));
  }
  out.affected = static_cast<int64_t>(r.affected_rows());
  return out;
}

/// The server's primary message: the first line, without "ERROR:  ".
/// DETAIL and CONTEXT lines quote row values, so they are dropped.
std::string primary_message(const char* what) {
  std::string_view text{what};
  text = text.substr(0, text.find('\n'));
  for (std::string_view prefix : {"ERROR:  ", "FATAL:  "})
    if (text.substr(0, prefix.size()) == prefix)
      text.remove_prefix(prefix.size());
  return std::string{text};
}

/// The last "quoted" name of a message's first line: the constraint of
/// `duplicate key value violates unique constraint "x"` and of `new row for
/// relation "t" violates check constraint "x"`.
std::string last_quoted(std::string_view line) {
  auto close = line.rfind('"');
  if (close == std::string_view::npos || close == 0)
    return {};
  auto open = line.rfind('"', close - 1);
  if (open == std::string_view::npos)
    return {};
  return std::string{line.substr(open + 1, close - open - 1)};
}

/// The key columns of a unique violation's `DETAIL:  Key (a, b)=(...)`,
/// without the values.
std::string key_columns(std::string_view what) {
  constexpr std::string_view marker = "Key (";
  auto start = what.find(marker);
  if (start == std::string_view::npos)
    return {};
  start += marker.size();
  auto end = what.find(")=", start);
  if (end == std::string_view::npos)
    return {};
  return std::string{what.substr(start, end - start)};
}

/// What the message names: for unique violations "name (columns)", so that
/// a column needle such as "username_key" matches here as in SQLite.
std::string constraint_of(const char* what, bool unique) {
  auto name = last_quoted(primary_message(what));
  if (!unique)
    return name;
  auto cols = key_columns(what);
  return cols.empty() ? name : name + " (" + cols + ")";
}

failure_kind kind_of_state(const std::string& state) {
  if (state == "23505")
    return failure_kind::unique_violation;
  if (state == "23514")
    return failure_kind::check_violation;
  if (state == "40001" || state == "40P01")
    return failure_kind::serialization;
  if (state == "55P03")
    return failure_kind::busy; // lock_not_available (NOWAIT)
  if (state.compare(0, 2, "08") == 0 || state == "57P01" || state == "57P02"
      || state == "57P03")
    return failure_kind::connection_lost; // connection or server shutdown
  return failure_kind::other;             // 57014 (statement timeout) included
}

std::string excerpt(std::string_view sql) {
  if (sql.size() <= sql_excerpt)
    return std::string{sql};
  return std::string{sql.substr(0, sql_excerpt)} + "...";
}

/// Session settings sent once per connection.
std::string setup_sql(const pg_options& o) {
  return "SET application_name = 'idclaim'; "
         "SET bytea_output = 'hex'; "
         "SET client_encoding = 'UTF8'; "
         "SET statement_timeout = "
         + std::to_string(o.statement_timeout_ms)
         + "; SET idle_in_transaction_session_timeout = "
         + std::to_string(o.idle_in_transaction_timeout_ms);
}

} // namespace

std::string to_pg_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      // A doubled quote closes and reopens the literal: no special case.
      if (c == quote)
        quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      auto end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, end - i));
      i = end - 1;
    } else if (c == '?' && i + 1 < sql.size()
               && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';
    } else {
      out += c;
    }
  }
  return out;
}

// -- impl
// ----------------------------------------------------------------------

struct pg_driver::impl {
  pg_options options;
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<pqxx::nontransaction> session;
  std::map<std::string, std::string, std::less<>> prepared; // SQL -> name
  bool in_transaction = false;
  /// A statement failed in the open transaction: the server ignores every
  /// further one until a rollback (to a savepoint).
  bool aborted = false;
  bool broken = false;

  /// The open session; connects first when there is none or it broke.
  pqxx::nontransaction& open();

  /// Forgets the connection and everything prepared on it.
  void drop() noexcept {
    session.reset();
    conn.reset();
    prepared.clear();
    broken = false;
    in_transaction = false;
    aborted = false;
  }

  /// The name under which `sql` is prepared on this connection.
  const std::string& statement(std::string_view sql);

  /// Runs a statement without parameters (transaction control).
  pqxx::result plain(std::string_view sql, bool committing = false);

  /// Translates the exception being handled into a storage_error.
  [[noreturn]] void fail(std::string_view what, bool committing);
};

pqxx::nontransaction& pg_driver::impl::open() {
  if (broken) {
    if (in_transaction)
      throw storage_error("the PostgreSQL connection broke inside a "
                          "transaction",
                          failure_kind::connection_lost);
    drop();
  }
  if (!session) {
    try {
      conn = std::make_unique<pqxx::connection>(options.url);
      session = std::make_unique<pqxx::nontransaction>(*conn, "idclaim");
      session->exec(setup_sql(options));
    } catch (...) {
      broken = true;
      fail("connect", false);
    }
  }
  return *session;
}

const std::string& pg_driver::impl::statement(std::string_view sql) {
  auto i = prepared.find(sql);
  if (i == prepared.end()) {
    auto name = "idc" + std::to_string(prepared.size() + 1);
    conn->prepare(name, to_pg_placeholders(sql));
    i = prepared.emplace(std::string{sql}, std::move(name)).first;
  }
  return i->second;
}

pqxx::result pg_driver::impl::plain(std::string_view sql, bool committing) {
  auto& s = open();
  try {
    return s.exec(std::string{sql});
  } catch (...) {
    fail(sql, committing);
  }
}

void pg_driver::impl::fail(std::string_view what, bool committing) {
  auto text = [&](const char* msg) {
    return excerpt(what) + ": " + primary_message(msg);
  };
  auto lost = [&](const std::exception& e) -> storage_error {
    broken = true;
    if (committing)
      return storage_error(text(e.what()) + " (COMMIT outcome unknown)");
    return storage_error(text(e.what()), failure_kind::connection_lost);
  };
  if (in_transaction)
    aborted = true;
  try {
    throw;
  } catch (const storage_error&) {
    throw;
  } catch (const pqxx::broken_connection& e) {
    throw lost(e);
  } catch (const pqxx::in_doubt_error& e) {
    broken = true;
    throw storage_error(text(e.what()) + " (COMMIT outcome unknown)");
  } catch (const pqxx::statement_completion_unknown& e) {
    throw storage_error(text(e.what()) + " (outcome unknown)");
  } catch (const pqxx::transaction_rollback& e) {
    // serialization_failure and deadlock_detected: the server rolled the
    // transaction back, so the whole of it may run again.
    throw storage_error(text(e.what()), failure_kind::serialization);
  } catch (const pqxx::sql_error& e) {
    auto kind = kind_of_state(e.sqlstate());
    if (kind == failure_kind::connection_lost || (conn && !conn->is_open()))
      throw lost(e);
    auto constraint
      = kind == failure_kind::unique_violation
            || kind == failure_kind::check_violation
          ? constraint_of(e.what(), kind == failure_kind::unique_violation)
          : std::string{};
    throw storage_error(text(e.what()) + " [" + e.sqlstate() + "]", kind,
                        std::move(constraint));
  } catch (const std::exception& e) {
    if (!conn || !conn->is_open())
      throw lost(e);
    throw storage_error(text(e.what()));
  }
}

// -- pg_driver
// -------------------------------------------------------------------

pg_driver::pg_driver(pg_options options) : impl_(std::make_unique<impl>()) {
  impl_->options = std::move(options);
}

pg_driver::~pg_driver() = default;

sql_result pg_driver::exec(std::string_view sql,
                           std::initializer_list<sql_param> params) {
  auto& s = impl_->open();
  std::vector<pg_text> values;
  values.reserve(params.size());
  for (auto& p : params)
    values.push_back(to_text(p));
  try {
    const auto& name = impl_->statement(sql);
    return to_result(
      s.exec_prepared(name, pqxx::prepare::make_dynamic_params(values)));
  } catch (...) {
    impl_->fail(sql, false);
  }
}

void pg_driver::exec_script(std::string_view sql) {
  impl_->plain(sql);
}

void pg_driver::begin() {
  impl_->plain("BEGIN");
  impl_->in_transaction = true;
  impl_->aborted = false;
}

void pg_driver::commit() {
  if (impl_->broken && impl_->in_transaction) {
    // The server lost the transaction with the connection: nothing of it
    // was committed, so running it again is safe.
    impl_->in_transaction = false;
    throw storage_error("the PostgreSQL connection broke before COMMIT",
                        failure_kind::connection_lost);
  }
  if (impl_->aborted) {
    // PostgreSQL would answer this COMMIT with ROLLBACK, not an error: the
    // caller must not believe its work is durable.
    rollback();
    throw storage_error("COMMIT of a transaction in which a statement "
                        "failed: rolled back");
  }
  impl_->in_transaction = false;
  impl_->plain("COMMIT", true);
}

void pg_driver::rollback() {
  if (!impl_->in_transaction)
    return;
  impl_->in_transaction = false;
  impl_->aborted = false;
  if (impl_->broken)
    return; // the server ended the transaction with the connection
  impl_->plain("ROLLBACK");
}

void pg_driver::savepoint() {
  impl_->plain("SAVEPOINT job");
}

void pg_driver::release_savepoint() {
  impl_->plain("RELEASE SAVEPOINT job");
}

void pg_driver::rollback_to_savepoint() {
  impl_->plain("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job");
  impl_->aborted = false;
}

void pg_driver::notify(std::string_view channel, std::string_view payload) {
  exec("SELECT pg_notify(?1, ?2)", {channel, payload});
}

int64_t pg_driver::backend_pid() {
  impl_->open();
  return impl_->conn->backendpid();
}

} // namespace idclaim::storage
