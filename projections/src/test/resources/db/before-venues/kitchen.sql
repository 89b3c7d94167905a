-- The kitchen's view of every dish that was fired: one row per ticket line. Kitchen screens show
-- the lines of a station that are neither served nor voided; fire-to-ready times come from here.
CREATE TABLE IF NOT EXISTS kitchen_ticket_lines (
  ticket_id   TEXT        NOT NULL,
  line_id     TEXT        NOT NULL,
  table_id    TEXT        NOT NULL,
  order_id    TEXT        NOT NULL,
  station_id  TEXT        NOT NULL,
  sku         TEXT        NOT NULL,
  name        TEXT        NOT NULL,
  qty         INT         NOT NULL,
  note        TEXT,
  status      TEXT        NOT NULL,
  fired_at    TIMESTAMPTZ NOT NULL,
  ready_at    TIMESTAMPTZ,
  served_at   TIMESTAMPTZ,
  PRIMARY KEY (ticket_id, line_id)
);
CREATE INDEX IF NOT EXISTS kitchen_ticket_lines_open ON kitchen_ticket_lines (station_id, status, fired_at);

-- Where an order sits now, when it moved tables after its tickets were fired. Tags are projected
-- independently, so a move may be seen before the tickets it moves: the board joins this table
-- instead of rewriting ticket rows, and the latest move wins.
CREATE TABLE IF NOT EXISTS kitchen_order_moves (
  order_id  TEXT        PRIMARY KEY,
  table_id  TEXT        NOT NULL,
  moved_at  TIMESTAMPTZ NOT NULL
);

-- How often a ticket's dishes were recalled (cooked again) and the ticket printed again.
ALTER TABLE kitchen_ticket_lines ADD COLUMN IF NOT EXISTS recalls INT NOT NULL DEFAULT 0;
ALTER TABLE kitchen_ticket_lines ADD COLUMN IF NOT EXISTS prints INT NOT NULL DEFAULT 1;
