-- Report tables of the read side, filled exactly once per journal event by SalesProjection.
-- Money is integer fen. business_date is the venue's business day (time zone and cut-off hour
-- of the bill's venue) of the moment the bill was opened. Every row names its venue (venue_id):
-- two venues may both have a table A1, a dish SC01 and a member M001, so every report filters by it.

CREATE TABLE IF NOT EXISTS report_bills (
  bill_id             TEXT        PRIMARY KEY,
  venue_id            TEXT        NOT NULL DEFAULT 'main',
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

-- One row per line of a bill. net_minor is the line's share of what the bill kept
-- (paid - refunded), split in proportion to the line amounts, so lines sum to the bill exactly.
CREATE TABLE IF NOT EXISTS report_bill_lines (
  bill_id          TEXT    NOT NULL,
  venue_id         TEXT    NOT NULL DEFAULT 'main',
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
  venue_id        TEXT        NOT NULL DEFAULT 'main',
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
  venue_id      TEXT        NOT NULL DEFAULT 'main',
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
  venue_id             TEXT        NOT NULL DEFAULT 'main',
  member_id            TEXT        NOT NULL,       -- the venue's own id: M001, not V2.M001
  name                 TEXT,
  phone                TEXT,
  since                TIMESTAMPTZ NOT NULL,
  balance_minor        BIGINT      NOT NULL DEFAULT 0,
  points               BIGINT      NOT NULL DEFAULT 0,
  lifetime_spend_minor BIGINT      NOT NULL DEFAULT 0,
  topped_up_minor      BIGINT      NOT NULL DEFAULT 0,
  visits               INT         NOT NULL DEFAULT 0,
  last_visit_at        TIMESTAMPTZ,
  CONSTRAINT report_members_venue_key PRIMARY KEY (venue_id, member_id)
);

CREATE TABLE IF NOT EXISTS report_member_movements (
  venue_id     TEXT        NOT NULL DEFAULT 'main',
  member_id    TEXT        NOT NULL,
  movement_id  TEXT        NOT NULL,             -- top-up request, payment id or refund id
  kind         TEXT        NOT NULL,             -- TOP_UP, SPEND, REFUND
  amount_minor BIGINT      NOT NULL,             -- signed: what the balance moved by
  method       TEXT,                             -- how a top-up was paid
  at           TIMESTAMPTZ NOT NULL,
  CONSTRAINT report_member_movements_venue_key PRIMARY KEY (venue_id, member_id, movement_id)
);

-- A line's share of its bill's subtotal: the line amount, or for a share of an even split, the
-- line's part of that share (largest remainder), so dishes' gross adds up to the bills' subtotals.
ALTER TABLE report_bill_lines ADD COLUMN IF NOT EXISTS gross_minor BIGINT NOT NULL DEFAULT 0;

-- Venues (issue 17). A database made before venues has no venue_id: every row it holds is of the
-- venue main, the only one there was, hence the default. It stays: a node of the previous release,
-- still running during a rolling upgrade, writes rows without the column, and they are main's too.
-- This release's projections always name the venue.
ALTER TABLE report_bills ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';
ALTER TABLE report_bill_lines ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';
ALTER TABLE report_payments ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';
ALTER TABLE report_refunds ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';
ALTER TABLE report_members ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';
ALTER TABLE report_member_movements ADD COLUMN IF NOT EXISTS venue_id TEXT NOT NULL DEFAULT 'main';

-- Reports read one venue's days.
CREATE INDEX IF NOT EXISTS report_bills_venue_date ON report_bills (venue_id, business_date);
DROP INDEX IF EXISTS report_bills_date;

-- A member's id is the venue's own (two venues may both have an M001): the key takes the venue. A
-- new database has these keys from CREATE TABLE; an older one gets the same unique index under the
-- same name (so this is a no-op on the new one), and loses its key of member_id alone.
CREATE UNIQUE INDEX IF NOT EXISTS report_members_venue_key ON report_members (venue_id, member_id);
ALTER TABLE report_members DROP CONSTRAINT IF EXISTS report_members_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS report_member_movements_venue_key
  ON report_member_movements (venue_id, member_id, movement_id);
ALTER TABLE report_member_movements DROP CONSTRAINT IF EXISTS report_member_movements_pkey;

-- Cards taken on a bank's standalone terminal (POS机): the terminal (终端号, NULL when the venue did not
-- name it), its reference of the transaction as printed on the slip, and the card's last four digits.
-- NULL on every other tender. A refund of such a card names the terminal it was made on and, if the
-- cashier kept it, the terminal's reference of the refund. The card-terminals report sums them per
-- terminal, as the terminal's own settlement slip (结算单) does.
ALTER TABLE report_payments ADD COLUMN IF NOT EXISTS terminal_id TEXT;
ALTER TABLE report_payments ADD COLUMN IF NOT EXISTS terminal_ref TEXT;
ALTER TABLE report_payments ADD COLUMN IF NOT EXISTS card_last4 TEXT;
ALTER TABLE report_refunds ADD COLUMN IF NOT EXISTS terminal_id TEXT;
ALTER TABLE report_refunds ADD COLUMN IF NOT EXISTS terminal_ref TEXT;

-- Who took a top-up's money at the till: a cash top-up counts in that cashier's shift (null for
-- top-ups recorded before it was kept, and for those that did not pass a till).
ALTER TABLE report_member_movements ADD COLUMN IF NOT EXISTS taken_by TEXT;

-- A top-up's payment: its payment id (<memberId>-TU<n>; the trade number at the gateway for a top-up
-- paid by WeChat Pay, Alipay or an integrated card terminal) and, for a card taken on a standalone
-- terminal, its slip. Reconciliation and the card-terminals report count top-ups where the money went.
-- NULL for top-ups recorded before top-ups had payment ids.
ALTER TABLE report_member_movements ADD COLUMN IF NOT EXISTS payment_id TEXT;
ALTER TABLE report_member_movements ADD COLUMN IF NOT EXISTS terminal_id TEXT;
ALTER TABLE report_member_movements ADD COLUMN IF NOT EXISTS terminal_ref TEXT;
ALTER TABLE report_member_movements ADD COLUMN IF NOT EXISTS card_last4 TEXT;
