-- Good OCSP answers the portal may reuse for a short window (libs/pki RevocationChecker), here rather
-- than in each node's memory so that a revocation one node hears of drops the answer for every node.
-- Times are microseconds since 1970 (UTC). The key names the certificate by its OCSP CertID.
-- checked_at: when this portal asked; this_update: the responder's thisUpdate; next_update: until when the
-- responder vouches for the answer. revoked_at set: the row is a tombstone (the certificate was found
-- revoked then), never handed out, and a good answer older than it cannot replace it.
CREATE TABLE ocsp_good_answers (
  cert_key TEXT PRIMARY KEY,
  checked_at INTEGER NOT NULL,
  this_update INTEGER NOT NULL,
  next_update INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX ocsp_good_answers_next_update ON ocsp_good_answers (next_update);
