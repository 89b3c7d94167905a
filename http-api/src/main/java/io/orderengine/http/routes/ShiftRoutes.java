package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.CashDrawer;
import io.orderengine.engine.shift.Shift;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.ledger.RequestLedger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.pekko.http.javadsl.server.Route;

/** Cashier shifts (出纳): open with a float, pay cash in or out, close with the cash counted. */
public final class ShiftRoutes extends RequestHandling {
  static final long MAX_CASH_MINOR = 100_000_000L;
  private final CashDrawer drawer;

  public ShiftRoutes(CashDrawer drawer, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.drawer = drawer;
  }

  public record ShiftJson(String shiftId, String status, String cashier, long openingFloatMinor, long cashMovedMinor,
      Instant openedAt, Instant closedAt, Long cashTakenMinor, Long cashRefundedMinor, Long expectedCashMinor,
      Long countedCashMinor, Long varianceMinor) {}

  static ShiftJson json(Shift.View v) {
    return new ShiftJson(v.shiftId(), v.status().name(), v.cashier(), v.openingFloatMinor(), v.movedMinor(), v.openedAt(),
        v.closedAt(), v.cashTakenMinor(), v.cashRefundedMinor(), v.expectedCashMinor(), v.countedCashMinor(), v.varianceMinor());
  }

  public Route route() {
    return pathPrefix("shifts", () -> concat(
        pathEnd(() -> post(() -> write("shift", Roles.CASHIER, (body, caller) -> {
          String cashier = body.optionalText("cashier").filter(c -> !c.isEmpty()).orElse(caller.principal().name());
          long openingFloat = body.requiredLong("openingFloatMinor", 0, MAX_CASH_MINOR);
          return drawer.open(caller.venue(), shiftIdOf(caller.requestId()), cashier, caller.principal().name(), openingFloat)
              .thenApply(v -> ApiResult.created(json(v)));
        }))),
        path(segment(), shiftId -> get(() -> read(Roles.CASHIER, who ->
            drawer.shift(who.venue(), BillRoutes.requireOpaqueId("shiftId", shiftId)).thenApply(v -> ApiResult.ok(json(v)))))),
        path(segment().slash("cash-moves"), shiftId -> post(() -> write("cash-move", Roles.CASHIER, (body, caller) -> {
          BillRoutes.requireOpaqueId("shiftId", shiftId);
          long amount = body.requiredLong("amountMinor", -MAX_CASH_MINOR, MAX_CASH_MINOR);
          String reason = body.optionalText("reason").filter(r -> !r.isEmpty()).orElse(amount > 0 ? "pay-in" : "pay-out");
          return drawer.moveCash(caller.venue(), shiftId, caller.requestId(), amount, reason).thenApply(v -> ApiResult.created(json(v)));
        }))),
        path(segment().slash("close"), shiftId -> post(() -> write("close-shift", Roles.CASHIER, (body, caller) -> {
          BillRoutes.requireOpaqueId("shiftId", shiftId);
          long counted = body.requiredLong("countedCashMinor", 0, MAX_CASH_MINOR);
          return drawer.close(caller.venue(), shiftId, counted).thenApply(v -> ApiResult.ok(json(v)));
        })))));
  }

  /** A shift's id follows from the request that opened it, so a retried open finds the same shift. */
  static String shiftIdOf(String requestId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
      return "SH-" + HexFormat.of().formatHex(d, 0, 6).toUpperCase();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
