-- Answers given to requests that carried an Idempotency-Key, so a retry gets the first answer,
-- even after a restart. A row without a status is a request still being answered (or one that
-- a crash interrupted: its retry runs again, and the entities ignore what they already did).
CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope        TEXT        NOT NULL,
  idem_key     TEXT        NOT NULL,
  fingerprint  TEXT        NOT NULL,
  status       INT,
  content_type TEXT,
  body         TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at TIMESTAMPTZ,
  PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);

-- Secrets made once by the first node and shared by all: the key that signs the table codes that
-- diners scan. Deleting the row (and restarting the nodes) retires every printed table card.
CREATE TABLE IF NOT EXISTS node_secrets (
  name       TEXT        PRIMARY KEY,
  value      TEXT        NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Who did what through the API, for managers and auditors: one row per write the API applied or
-- refused, written by the node's request ledger (with the Idempotency-Key answers, in the same
-- transaction) before the caller heard the answer. Not a projection: a rebuild never empties it.
-- trail_id names the trail that wrote the row (one per node start), seq counts its rows.
-- Owned by io.orderengine.http.ledger.AuditTrail, its only writer and reader.
CREATE TABLE IF NOT EXISTS audit_log (
  trail_id     TEXT        NOT NULL,
  seq          BIGINT      NOT NULL,
  venue_id     TEXT        NOT NULL DEFAULT 'main',
  at           TIMESTAMPTZ NOT NULL,
  who          TEXT        NOT NULL,
  role         TEXT        NOT NULL,
  approved_by  TEXT,
  action       TEXT        NOT NULL,
  method       TEXT        NOT NULL,
  path         TEXT        NOT NULL,
  status       INT         NOT NULL,
  code         TEXT,
  request_id   TEXT,
  PRIMARY KEY (trail_id, seq)
);
-- The member of staff who signed in with their PIN (null for a configured token): names repeat, ids do not.
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS staff_id TEXT;

-- Venues (issue 17): the venue the request acted at; '' for the platform's own writes (the admin
-- making a venue), which belong to no venue. Rows written before venues are of the venue main.
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';
-- A venue's manager reads the venue's own trail, by day and by person.
CREATE INDEX IF NOT EXISTS audit_log_venue_at ON audit_log (venue_id, at);
CREATE INDEX IF NOT EXISTS audit_log_venue_who ON audit_log (venue_id, who, at);
DROP INDEX IF EXISTS audit_log_at;
DROP INDEX IF EXISTS audit_log_who;
