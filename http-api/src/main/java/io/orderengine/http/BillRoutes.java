package io.orderengine.http;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.Engine;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill;
import org.apache.pekko.http.javadsl.server.Route;

/** Bills and the tenders taken against them. */
public final class BillRoutes extends RequestHandling {
  static final long MAX_AMOUNT_MINOR = 100_000_000L;
  private final Engine engine;

  public BillRoutes(Engine engine, Tokens tokens, IdempotencyStore idempotency) {
    super(tokens, idempotency);
    this.engine = engine;
  }

  public Route route() {
    return concat(
        path(segment("bills").slash(segment()), billId -> get(() -> read(Roles.READERS, who ->
            engine.bill(requireOpaqueId("billId", billId)).thenApply(v -> ApiResult.ok(Representations.bill(v)))))),
        path(segment("bills").slash(segment()).slash("payments"), billId -> post(() ->
            write("pay", Roles.TAKE_PAYMENT, (body, caller) -> {
              requireOpaqueId("billId", billId);
              Bill.Method method = body.requiredEnum("method", Bill.Method.class);
              long amount = body.requiredLong("amountMinor", 1, MAX_AMOUNT_MINOR);
              Long tendered = body.optionalLong("tenderedMinor", 1, MAX_AMOUNT_MINOR).orElse(null);
              if (tendered != null && method != Bill.Method.CASH) {
                throw new BadRequest("'tenderedMinor' is for CASH only");
              }
              return engine.pay(billId, caller.requestId(), method, amount, tendered)
                  .thenApply(v -> ApiResult.created(Representations.paymentTaken(v)));
            }))),
        path(segment("bills").slash(segment()).slash("discounts"), billId -> post(() ->
            write("discount", Roles.CASHIER, (body, caller) -> {
              requireOpaqueId("billId", billId);
              Bill.DiscountType type = body.requiredEnum("type", Bill.DiscountType.class);
              long value = body.requiredLong("value", 1, MAX_AMOUNT_MINOR);
              String reason = body.optionalText("reason").filter(r -> !r.isEmpty()).orElse("discount");
              return engine.discount(billId, caller.requestId(), type, value, reason)
                  .thenApply(v -> ApiResult.created(Representations.bill(v)));
            }))),
        path(segment("payments").slash(segment()), paymentId -> get(() -> read(Roles.READERS, who ->
            engine.payment(requireOpaqueId("paymentId", paymentId))
                .thenApply(v -> ApiResult.ok(Representations.payment(v)))))));
  }

  /** Ids the server made: long enough for {@code T01-0001-B1-P1}; an id of another shape names nothing. */
  static String requireOpaqueId(String what, String value) {
    if (!value.matches("[A-Za-z0-9_-]{1,64}")) throw new Rejected(Rejection.NOT_FOUND, "no " + what + " " + value);
    return value;
  }
}
