-- 帳號密碼登入 and 機關憑證 (issue 12). Times in microseconds since 1970 (UTC).

-- An account belongs to a person provisioned by HR (`admin import-people`, the optional account column).
-- name is stored folded to lowercase; password_hash is libsodium's Argon2id string (cost inside it), NULL
-- until an admin sets the initial password, which must_change then forces the person to replace.
CREATE TABLE accounts (
  person_id INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  must_change INTEGER NOT NULL DEFAULT 1 CHECK (must_change IN (0, 1)),
  changed_at INTEGER
);

-- Earlier passwords (their hashes), for the rule "not one of the last N".
CREATE TABLE password_history (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  password_hash TEXT NOT NULL,
  set_at INTEGER NOT NULL
);
CREATE INDEX password_history_person ON password_history (person_id, set_at);

-- Failed password logins per account name as typed (folded), known or not: an unknown name counts and
-- locks exactly like a real one, so the answers never tell which names exist. The key is a BLAKE2b-256
-- hash (TokenHash) of the folded name. A row goes when the person logs in, or is replaced once its window
-- has passed.
CREATE TABLE login_failures (
  account_key BLOB PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failed_at INTEGER NOT NULL,
  locked_until INTEGER
);

-- 忘記密碼: one-time links. Only the token's hash is kept; used_at set when spent (kept for the audit of
-- a second use).
CREATE TABLE password_resets (
  token_hash BLOB PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX password_resets_person ON password_resets (person_id);

-- 機關憑證: an agency's OID (as in the certificate's SDA 2.16.886.1.100.2.102) and its personnel officer,
-- whose account an agency card is bound to at its first login.
ALTER TABLE agencies ADD COLUMN oid TEXT;
CREATE UNIQUE INDEX agencies_oid ON agencies (oid) WHERE oid IS NOT NULL;
ALTER TABLE agencies ADD COLUMN officer_person_id INTEGER REFERENCES people (id);
