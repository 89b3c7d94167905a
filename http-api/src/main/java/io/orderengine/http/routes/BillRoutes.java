package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Checkout;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.TerminalSlip;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.json.Representations;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Forbidden;
import io.orderengine.http.problems.Problems;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/** Bills and the tenders taken against them. */
public final class BillRoutes extends RequestHandling {
  static final long MAX_AMOUNT_MINOR = 100_000_000L;
  private final Checkout checkout;
  private final Function<String, CompletionStage<DiscountLimit>> discountLimits;

  /** How far a cashier may discount a bill on their own; a manager has no limit. */
  public record DiscountLimit(long maxPercent, long maxAmountMinor) {}

  /** {@code discountLimits}: each venue's limit, from its settings. */
  public BillRoutes(Checkout checkout, Tokens tokens, RequestLedger ledger,
      Function<String, CompletionStage<DiscountLimit>> discountLimits) {
    super(tokens, ledger);
    this.checkout = checkout;
    this.discountLimits = discountLimits;
  }

  public Route route() {
    return concat(
        path(segment("bills").slash(segment()), billId -> get(() -> read(Roles.READERS_AND_DINER, who ->
            checkout.bill(who.venue(), requireOpaqueId("billId", billId)).thenApply(v -> {
              who.requireTable(v.tableId());
              return ApiResult.ok(Representations.bill(v));
            })))),
        path(segment("bills").slash(segment()).slash("payments"), billId -> post(() ->
            write("pay", Roles.FLOOR_AND_DINER, (body, caller) -> {
              requireOpaqueId("billId", billId);
              Bill.Method method = body.requiredEnum("method", Bill.Method.class);
              long amount = body.requiredLong("amountMinor", 1, MAX_AMOUNT_MINOR);
              Long tendered = body.optionalLong("tenderedMinor", 1, MAX_AMOUNT_MINOR).orElse(null);
              if (tendered != null && method != Bill.Method.CASH) {
                throw new BadRequest("'tenderedMinor' is for CASH only");
              }
              String authCode = body.optionalText("authCode").filter(a -> !a.isEmpty()).orElse(null);
              if (authCode != null && (authCode.length() > 128 || method == Bill.Method.CASH || method == Bill.Method.MEMBER)) {
                throw new BadRequest("'authCode' is the scanned code of a WECHAT, ALIPAY or CARD payment (at most 128 characters)");
              }
              // the diner's WeChat openid: a WECHAT payment made inside WeChat (JSAPI) instead of a Native QR trade
              String openid = optionalMatching(body, "openid", OPENID, OPENID_RULE).orElse(null);
              if (openid != null && (method != Bill.Method.WECHAT || authCode != null)) {
                throw new BadRequest("'openid' is the payer of a WECHAT payment made inside WeChat (JSAPI), without 'authCode'");
              }
              String memberId = method == Bill.Method.MEMBER ? body.requiredId("memberId") : null;
              TerminalSlip terminal = terminalSlip(body, method, authCode);
              if (!caller.principal().isDiner()) {
                return checkout.pay(caller.venue(), billId, caller.requestId(), method, amount, tendered, authCode, memberId,
                        caller.principal().name(), terminal, openid)
                    .thenApply(BillRoutes::paymentAnswer);
              }
              // a diner pays their own table's bill, with a wallet, on their own phone
              if ((method != Bill.Method.WECHAT && method != Bill.Method.ALIPAY) || authCode != null || terminal != null) {
                throw new Forbidden("a diner pays with WECHAT or ALIPAY on their phone; other tenders are taken by staff");
              }
              return checkout.bill(caller.venue(), billId).<Checkout.PaymentView>thenCompose(bill -> {
                caller.principal().requireTable(bill.tableId());
                return checkout.pay(caller.venue(), billId, caller.requestId(), method, amount, (Long) null, (String) null, (String) null,
                    caller.principal().name(), (TerminalSlip) null, openid);
              }).thenApply(BillRoutes::paymentAnswer);
            }))),
        path(segment("bills").slash(segment()).slash("refunds"), billId -> post(() ->
            write("refund", Roles.CASHIER, (body, caller) -> {
              requireOpaqueId("billId", billId);
              String paymentId = body.requiredText("paymentId");
              requireOpaqueId("paymentId", paymentId);
              long amount = body.requiredLong("amountMinor", 1, MAX_AMOUNT_MINOR);
              String reason = body.optionalText("reason").filter(r -> !r.isEmpty()).orElse("refund");
              String terminalId = optionalMatching(body, "terminalId", TerminalSlip.TERMINAL_ID, TERMINAL_ID_RULE).orElse(null);
              String terminalRef = optionalMatching(body, "terminalRef", TerminalSlip.TERMINAL_REF, TERMINAL_REF_RULE).orElse(null);
              return checkout.refund(caller.venue(), billId, caller.requestId(), paymentId, amount, reason, caller.principal().name(),
                      terminalId, terminalRef)
                  .thenApply(v -> ApiResult.created(Representations.refundTaken(v)));
            }))),
        path(segment("bills").slash(segment()).slash("discounts"), billId -> post(() ->
            write("discount", Roles.CASHIER, (body, caller) -> {
              requireOpaqueId("billId", billId);
              Bill.DiscountType type = body.requiredEnum("type", Bill.DiscountType.class);
              long value = body.requiredLong("value", 1, MAX_AMOUNT_MINOR);
              String reason = body.optionalText("reason").filter(r -> !r.isEmpty()).orElse("discount");
              if (type == Bill.DiscountType.ROUNDING) throw new BadRequest("'type' must be PERCENT or AMOUNT");
              return discountLimits.apply(caller.venue()).thenCompose(limit -> {
                boolean overLimit = type == Bill.DiscountType.PERCENT
                    ? value > limit.maxPercent() : value > limit.maxAmountMinor();
                if (overLimit && !caller.managerAgrees()) {
                  return java.util.concurrent.CompletableFuture.completedFuture(Problems.problem(403,
                      "DISCOUNT_LIMIT_EXCEEDED", "a " + caller.principal().role().wire() + " may give at most "
                          + limit.maxPercent() + "% or " + limit.maxAmountMinor() + " fen alone; a manager approves more with "
                          + RequestHandling.APPROVAL_HEADER));
                }
                return checkout.discount(caller.venue(), billId, caller.requestId(), type, value, reason)
                    .thenApply(v -> ApiResult.created(Representations.bill(v)));
              });
            }))),
        path(segment("payments").slash(segment()), paymentId -> get(() -> read(Roles.READERS_AND_DINER, who ->
            checkout.payment(who.venue(), requireOpaqueId("paymentId", paymentId)).thenApply(v -> {
              who.requireTable(v.bill().tableId());
              return ApiResult.ok(Representations.payment(v));
            })))),
        path(segment("payments").slash(segment()).slash("cancel"), paymentId -> post(() ->
            write("cancel", Roles.FLOOR_AND_DINER, (body, caller) -> {
              requireOpaqueId("paymentId", paymentId);
              CompletionStage<?> allowed = caller.principal().isDiner()
                  ? checkout.payment(caller.venue(), paymentId).thenAccept(v -> caller.principal().requireTable(v.bill().tableId()))
                  : java.util.concurrent.CompletableFuture.completedFuture(null);
              return allowed.thenCompose(ok -> checkout.cancelPayment(caller.venue(), paymentId))
                  .thenApply(v -> ApiResult.ok(Representations.payment(v)));
            }))));
  }

  /**
   * 201 when the money is taken, 202 while the customer or the gateway has yet to answer, and a
   * problem when the tender failed: 402 declined, 409 stored value too low. The problem names the
   * payment, which stays on the bill as FAILED.
   */
  static ApiResult paymentAnswer(Checkout.PaymentView v) {
    Representations.PaymentTakenJson taken = Representations.paymentTaken(v);
    return switch (taken.status()) {
      case "SUCCEEDED" -> ApiResult.created(taken);
      case "PENDING", "STARTING" -> ApiResult.json(202, taken);
      default -> {
        boolean balance = "INSUFFICIENT_BALANCE".equals(taken.failureCode());
        yield Problems.problem(balance ? 409 : 402, balance ? "INSUFFICIENT_BALANCE" : "PAYMENT_DECLINED",
            taken.failureReason() == null ? "the payment failed; nothing was charged" : taken.failureReason(),
            java.util.Map.of("paymentId", taken.paymentId(), "paymentStatus", taken.status()));
      }
    };
  }

  /** A WeChat openid: 1 to 128 letters, digits, '_' or '-'. */
  static final Pattern OPENID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  static final String OPENID_RULE = "must be a WeChat openid: 1..128 of [A-Za-z0-9_-]";

  static final String TERMINAL_ID_RULE = "must match [A-Za-z0-9_-]{1,32}";
  static final String TERMINAL_REF_RULE = "must be 1..64 visible ASCII characters (0x21-0x7E): no spaces, no control characters";

  /**
   * The slip of a card taken on a bank's standalone terminal, when the body carries one: {@code terminalRef}
   * (required for it), {@code cardLast4} (exactly 4 digits, required with it) and {@code terminalId} (optional).
   */
  static TerminalSlip terminalSlip(Body body, Bill.Method method, String authCode) {
    Optional<String> ref = optionalMatching(body, "terminalRef", TerminalSlip.TERMINAL_REF, TERMINAL_REF_RULE);
    if (ref.isEmpty()) {
      if (body.has("cardLast4") || body.has("terminalId")) {
        throw new BadRequest("'cardLast4' and 'terminalId' go with 'terminalRef', for a card taken on a standalone terminal");
      }
      return null;
    }
    if (method != Bill.Method.CARD) throw new BadRequest("'terminalRef' is for a CARD taken on a standalone terminal");
    if (authCode != null) throw new BadRequest("a card taken on a standalone terminal has a 'terminalRef', not an 'authCode'");
    String last4 = optionalMatching(body, "cardLast4", TerminalSlip.CARD_LAST4, "must be the card's last 4 digits")
        .orElseThrow(() -> new BadRequest("'cardLast4' is required with 'terminalRef'"));
    String terminalId = optionalMatching(body, "terminalId", TerminalSlip.TERMINAL_ID, TERMINAL_ID_RULE).orElse(null);
    return new TerminalSlip(terminalId, ref.get(), last4);
  }

  /** A text field, if present, exactly as the pattern says (after trimming outer white space, as every text field is). */
  static Optional<String> optionalMatching(Body body, String field, Pattern pattern, String rule) {
    Optional<String> text = body.optionalText(field);
    if (text.isPresent() && !pattern.matcher(text.get()).matches()) throw new BadRequest(body.path(field) + " " + rule);
    return text;
  }

  /** Ids the server made: long enough for {@code T01-0001-B1-P1}; an id of another shape names nothing. */
  static String requireOpaqueId(String what, String value) {
    if (!value.matches("[A-Za-z0-9_.-]{1,100}")) throw new Rejected(Rejection.NOT_FOUND, "no " + what + " " + value);
    return value;
  }
}
