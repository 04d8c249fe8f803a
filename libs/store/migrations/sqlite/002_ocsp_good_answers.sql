-- Good OCSP answers the portal may reuse for a short window (libs/pki RevocationChecker), here rather
-- than in each node's memory so that a revocation one node hears of drops the answer for every node.
-- Times are microseconds since 1970 (UTC). The key names the certificate by its OCSP CertID.
CREATE TABLE ocsp_good_answers (
  cert_key TEXT PRIMARY KEY,
  checked_at INTEGER NOT NULL,
  next_update INTEGER NOT NULL
);
CREATE INDEX ocsp_good_answers_next_update ON ocsp_good_answers (next_update);
