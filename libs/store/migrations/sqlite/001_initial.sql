-- The portal's first schema: people and agencies (provisioned by HR), certificate bindings, login
-- nonces, sessions, the audit chain and to-dos. Times are integer microseconds since the Unix epoch (UTC);
-- booleans are 0/1 integers. National ID numbers never appear in clear: id_hash is a keyed BLAKE2b hash
-- (for lookup) and id_cipher an XSalsa20-Poly1305 box (for authorised display), both made by IdProtector.

CREATE TABLE agencies (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  id_hash BLOB NOT NULL UNIQUE,
  id_cipher BLOB NOT NULL,
  name TEXT NOT NULL,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  title TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX people_agency ON people (agency_code);

-- A person's certificates. The active one per method has replaced_at NULL; replaced ones stay as history.
CREATE TABLE cert_bindings (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id),
  method TEXT NOT NULL CHECK (method IN ('citizen', 'agency')),
  issuer_dn TEXT NOT NULL,
  serial_hex TEXT NOT NULL,
  card_sn TEXT,
  subject_serial TEXT,
  bound_at INTEGER NOT NULL,
  replaced_at INTEGER
);
-- The database itself refuses a second active binding of one certificate, or two active bindings of one
-- method for a person, even if a program bug (or a race) tried.
CREATE UNIQUE INDEX cert_bindings_active_cert ON cert_bindings (issuer_dn, serial_hex) WHERE replaced_at IS NULL;
CREATE UNIQUE INDEX cert_bindings_active_method ON cert_bindings (person_id, method) WHERE replaced_at IS NULL;
CREATE INDEX cert_bindings_cert ON cert_bindings (issuer_dn, serial_hex);
CREATE INDEX cert_bindings_card ON cert_bindings (card_sn) WHERE replaced_at IS NULL;

-- Login challenges: single use, bound to the pre-login session that asked for them.
CREATE TABLE auth_nonces (
  nonce_hash BLOB PRIMARY KEY,
  presession_hash BLOB NOT NULL,
  purpose TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX auth_nonces_expiry ON auth_nonces (expires_at);

-- Sessions, keyed by a hash of the cookie's token (the token itself is never stored). person_id is NULL
-- for a pre-login session.
CREATE TABLE sessions (
  id_hash BLOB PRIMARY KEY,
  person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
  method TEXT NOT NULL DEFAULT '',
  amr TEXT NOT NULL DEFAULT '',
  acr TEXT NOT NULL DEFAULT '',
  csrf_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  idle_timeout_us INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX sessions_expiry ON sessions (idle_expires_at);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || canonical encoding of the row), see audit_log.cpp.
-- person_id has no foreign key on purpose: the record must outlive the person row it mentions.
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  method TEXT NOT NULL,
  person_id INTEGER,
  cert_issuer TEXT NOT NULL,
  cert_serial TEXT NOT NULL,
  reason TEXT NOT NULL,
  client_addr TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
-- A second line of defence for the chain: the program's own connection cannot rewrite history.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

-- due_date is days since 1970-01-01 (a calendar date, no time zone).
CREATE TABLE todos (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  due_date INTEGER NOT NULL,
  title TEXT NOT NULL,
  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1))
);
CREATE INDEX todos_person_due ON todos (person_id, due_date);
