-- Report tables of the read side, filled exactly once per journal event by SalesProjection.
-- Money is integer fen. business_date is the venue's business day (time zone and cut-off hour
-- from the node's configuration) of the moment the bill was opened.

CREATE TABLE IF NOT EXISTS report_bills (
  bill_id             TEXT        PRIMARY KEY,
  table_id            TEXT        NOT NULL,
  order_id            TEXT        NOT NULL,
  waiter              TEXT,
  business_date       DATE        NOT NULL,
  opened_at           TIMESTAMPTZ NOT NULL,
  settled_at          TIMESTAMPTZ,
  status              TEXT        NOT NULL,         -- OPEN, PARTIALLY_PAID, PAID, VOIDED
  part                INT         NOT NULL,
  parts               INT         NOT NULL,
  subtotal_minor      BIGINT      NOT NULL,
  discount_minor      BIGINT      NOT NULL DEFAULT 0,
  service_minor       BIGINT      NOT NULL DEFAULT 0,
  total_minor         BIGINT      NOT NULL,
  paid_minor          BIGINT      NOT NULL DEFAULT 0, -- succeeded tenders
  refunded_minor      BIGINT      NOT NULL DEFAULT 0  -- succeeded refunds
);
CREATE INDEX IF NOT EXISTS report_bills_date ON report_bills (business_date);

-- One row per line of a bill. net_minor is the line's share of what the bill kept
-- (paid - refunded), split in proportion to the line amounts, so lines sum to the bill exactly.
CREATE TABLE IF NOT EXISTS report_bill_lines (
  bill_id          TEXT    NOT NULL,
  line_id          TEXT    NOT NULL,
  sku              TEXT    NOT NULL,
  name             TEXT    NOT NULL,
  stall_id         TEXT    NOT NULL,
  qty              INT     NOT NULL,
  unit_price_minor BIGINT  NOT NULL,
  amount_minor     BIGINT  NOT NULL,
  voided           BOOLEAN NOT NULL DEFAULT FALSE,
  net_minor        BIGINT  NOT NULL DEFAULT 0,
  PRIMARY KEY (bill_id, line_id)
);

-- Every tender, one row each (CASH, CARD, WECHAT, ALIPAY, MEMBER).
CREATE TABLE IF NOT EXISTS report_payments (
  payment_id      TEXT        PRIMARY KEY,
  bill_id         TEXT        NOT NULL,
  method          TEXT        NOT NULL,
  amount_minor    BIGINT      NOT NULL,
  tendered_minor  BIGINT      NOT NULL,
  change_minor    BIGINT      NOT NULL,
  status          TEXT        NOT NULL,             -- PENDING, SUCCEEDED, FAILED, CANCELLED, EXPIRED
  gateway_txn_id  TEXT,
  member_id       TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  finished_at     TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS report_payments_bill ON report_payments (bill_id);

-- Every refund, to its original tender.
CREATE TABLE IF NOT EXISTS report_refunds (
  refund_id     TEXT        PRIMARY KEY,
  payment_id    TEXT        NOT NULL,
  bill_id       TEXT        NOT NULL,
  method        TEXT        NOT NULL,
  amount_minor  BIGINT      NOT NULL,
  status        TEXT        NOT NULL,               -- PENDING, SUCCEEDED, FAILED
  reason        TEXT,
  created_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS report_refunds_bill ON report_refunds (bill_id);

-- Who took each tender and gave each refund (a cashier's shift counts its own cash).
ALTER TABLE report_payments ADD COLUMN IF NOT EXISTS taken_by TEXT;
ALTER TABLE report_refunds ADD COLUMN IF NOT EXISTS taken_by TEXT;

-- Members (储值会员): one row each, with their stored value, points, tier and visits. A visit is a
-- bill paid (in part) from stored value; top-ups and spend are kept as movements.
CREATE TABLE IF NOT EXISTS report_members (
  member_id            TEXT        PRIMARY KEY,
  name                 TEXT,
  phone                TEXT,
  since                TIMESTAMPTZ NOT NULL,
  balance_minor        BIGINT      NOT NULL DEFAULT 0,
  points               BIGINT      NOT NULL DEFAULT 0,
  lifetime_spend_minor BIGINT      NOT NULL DEFAULT 0,
  topped_up_minor      BIGINT      NOT NULL DEFAULT 0,
  visits               INT         NOT NULL DEFAULT 0,
  last_visit_at        TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS report_member_movements (
  member_id    TEXT        NOT NULL,
  movement_id  TEXT        NOT NULL,             -- top-up request, payment id or refund id
  kind         TEXT        NOT NULL,             -- TOP_UP, SPEND, REFUND
  amount_minor BIGINT      NOT NULL,             -- signed: what the balance moved by
  method       TEXT,                             -- how a top-up was paid
  at           TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (member_id, movement_id)
);

-- A line's share of its bill's subtotal: the line amount, or for a share of an even split, the
-- line's part of that share (largest remainder), so dishes' gross adds up to the bills' subtotals.
ALTER TABLE report_bill_lines ADD COLUMN IF NOT EXISTS gross_minor BIGINT NOT NULL DEFAULT 0;
