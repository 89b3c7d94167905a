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
