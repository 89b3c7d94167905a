-- Print jobs (issue 19): every kitchen ticket, void, move notice, reprint and receipt to print, one
-- row per event and printer, written by the print projections in the same transaction as their
-- offset (exactly once: job_id is the event's persistence id, sequence number and the printer).
-- A job is durable here before any byte goes to a printer; the spoolers send each printer's jobs in
-- queue order and set printed_at in the transaction that holds the job's row lock while sending.
CREATE TABLE IF NOT EXISTS print_jobs (
  job_id      TEXT        PRIMARY KEY,
  seq         BIGSERIAL,
  venue_id    TEXT        NOT NULL,
  printer_id  TEXT        NOT NULL,
  kind        TEXT        NOT NULL,   -- TICKET, REPRINT, VOID, MOVE, RECEIPT
  subject     TEXT        NOT NULL,   -- what it is for: the ticket, line, order or bill
  document    TEXT        NOT NULL,   -- the lines to print (JSON), laid out at the printer's width when sent
  created_at  TIMESTAMPTZ NOT NULL,   -- the event's time
  queued_at   TIMESTAMPTZ,            -- when it joined its printer's queue: the event's time, or when it was moved
  attempts    INT         NOT NULL DEFAULT 0,
  last_error  TEXT,
  printed_at  TIMESTAMPTZ,
  moved_from  TEXT                    -- the printer it was first queued at, when it was moved
);

ALTER TABLE print_jobs ADD COLUMN IF NOT EXISTS queued_at TIMESTAMPTZ;
UPDATE print_jobs SET queued_at = created_at WHERE queued_at IS NULL;

-- A printer's queue: its waiting jobs in the order they joined it. Jobs come from several projection
-- instances (one per tag), so the order they are written in is not the order of their events: the
-- queue goes by the event's time (a moved job by when it was moved), then by the order written.
DROP INDEX IF EXISTS print_jobs_waiting;
CREATE INDEX IF NOT EXISTS print_jobs_queue ON print_jobs (venue_id, printer_id, queued_at, seq) WHERE printed_at IS NULL;

-- How each printer answered last: OK, or UNREACHABLE since a time with the last error; retry_at is
-- when the spoolers may try it again (backoff doubles with each failure in a row).
CREATE TABLE IF NOT EXISTS print_printer_states (
  venue_id    TEXT        NOT NULL,
  printer_id  TEXT        NOT NULL,
  state       TEXT        NOT NULL,
  last_error  TEXT,
  since       TIMESTAMPTZ NOT NULL,
  failures    INT         NOT NULL DEFAULT 0,
  retry_at    TIMESTAMPTZ,
  PRIMARY KEY (venue_id, printer_id)
);

-- What the print projection remembers of fired tickets, to print a void, a move or a reprint of them.
CREATE TABLE IF NOT EXISTS print_ticket_lines (
  ticket_id   TEXT        NOT NULL,
  line_id     TEXT        NOT NULL,
  venue_id    TEXT        NOT NULL,
  order_id    TEXT        NOT NULL,
  table_id    TEXT        NOT NULL,
  station_id  TEXT        NOT NULL,
  sku         TEXT        NOT NULL,
  name        TEXT        NOT NULL,
  qty         INT         NOT NULL,
  note        TEXT,
  fired_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (ticket_id, line_id)
);
CREATE INDEX IF NOT EXISTS print_ticket_lines_order ON print_ticket_lines (order_id, line_id);
