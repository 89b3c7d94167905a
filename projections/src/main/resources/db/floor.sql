-- The floor plan's read side: each table's state as its own events left it, folded by the table's
-- own pure core (FloorProjection), so that listing a venue's tables does not wake every table.
-- seq_nr is the last of the table's events folded in: a row is current when the journal holds no
-- later event of that table.
CREATE TABLE IF NOT EXISTS floor_tables (
  table_id      TEXT   PRIMARY KEY,
  seq_nr        BIGINT NOT NULL,
  serializer_id INT    NOT NULL,
  manifest      TEXT   NOT NULL,
  state         BYTEA  NOT NULL
);
