package io.orderengine.engine;

/**
 * Why an entity refused a command. The names are the stable error codes of the public API;
 * the HTTP layer maps each to a status in one place.
 */
public enum Rejection {
  NOT_FOUND,
  VALIDATION_FAILED,
  TABLE_ALREADY_OPEN,
  TABLE_NOT_OPEN,
  ITEM_UNAVAILABLE,
  LINE_ALREADY_VOIDED,
  LINE_ALREADY_BILLED,
  NOTHING_TO_BILL,
  BILLS_UNSETTLED,
  UNBILLED_LINES,
  BILL_SETTLED,
  AMOUNT_EXCEEDS_DUE,
  METHOD_NOT_SUPPORTED,
  MEMBER_EXISTS,
  INSUFFICIENT_BALANCE,
  PAYMENT_DECLINED,
  PAYMENT_NOT_PENDING,
  AMOUNT_EXCEEDS_REFUNDABLE,
  BAD_SIGNATURE,
  OUT_OF_STOCK,
  ORDER_HAS_BILLS,
  SHIFT_CLOSED,
  /** A staff id already names another member of the venue's staff. */
  STAFF_EXISTS,
  /** A venue of this id exists, made otherwise than the request says. */
  VENUE_EXISTS,
  /** A stall still sells a dish; a station still cooks one; a table has an order open. */
  STALL_IN_USE,
  STATION_IN_USE,
  TABLE_IN_USE,
  /** A printer names a station the venue does not have. */
  UNKNOWN_STATION,
  /** A printer still has jobs waiting: move them to another printer first. */
  PRINTER_IN_USE,
  /** A diner's table code may not do this under the venue's choice ({@code DinerOrdering}). */
  DINER_NOT_ALLOWED,
  /** The venue has no merchant account at the provider a tender needs. */
  PROVIDER_NOT_CONFIGURED,
  /** The node holds no key to seal merchant secrets with ({@code PAYMENT_SECRETS_KEY}). */
  SECRETS_KEY_MISSING
}
