package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.bill.Bill;
import io.orderengine.engine.bill.TerminalSlip;
import io.orderengine.engine.member.Member;
import io.orderengine.engine.member.TopUpPayment;
import io.orderengine.engine.usecase.Members;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Representations;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Problems;
import java.util.Map;
import org.apache.pekko.http.javadsl.server.Route;

/** Members and their stored value (储值), topped up in cash, by card, or by WeChat Pay or Alipay. */
public final class MemberRoutes extends RequestHandling {
  static final long MAX_TOP_UP_MINOR = 10_000_000L;
  private final Members members;

  public MemberRoutes(Members members, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.members = members;
  }

  public Route route() {
    return concat(
        path("members", () -> post(() -> write("member", Roles.FLOOR, (body, caller) -> {
          String memberId = body.requiredId("memberId");
          String name = body.requiredNonBlank("name");
          String phone = body.optionalText("phone").orElse(null);
          if (phone != null && !phone.matches("\\+?[0-9 -]{3,20}")) throw new BadRequest("'phone' is not a phone number");
          return members.register(caller.venue(), memberId, name, phone).thenApply(m -> ApiResult.created(Representations.member(m)));
        }))),
        path(segment("members").slash(segment()), memberId -> get(() -> read(Roles.READERS, who -> {
          requireId("memberId", memberId);
          return members.member(who.venue(), memberId).thenApply(m -> ApiResult.ok(Representations.member(m)));
        }))),
        path(segment("members").slash(segment()).slash("topups"), memberId -> post(() ->
            write("topup", Roles.CASHIER, (body, caller) -> {
              requireId("memberId", memberId);
              long amount = body.requiredLong("amountMinor", 1, MAX_TOP_UP_MINOR);
              String method = body.optionalText("method").filter(m -> !m.isEmpty()).orElse("CASH").toUpperCase();
              if (!method.matches("CASH|CARD|WECHAT|ALIPAY")) {
                throw new BadRequest("'method' of a top-up is one of CASH, CARD, WECHAT, ALIPAY");
              }
              String authCode = body.optionalText("authCode").filter(a -> !a.isEmpty()).orElse(null);
              if (authCode != null && (authCode.length() > 128 || method.equals("CASH"))) {
                throw new BadRequest("'authCode' is the scanned code of a WECHAT, ALIPAY or CARD top-up (at most 128 characters)");
              }
              TerminalSlip terminal = BillRoutes.terminalSlip(body, Bill.Method.valueOf(method), authCode);
              return members.topUp(caller.venue(), memberId, caller.requestId(), amount, method, caller.principal().name(),
                      authCode, terminal)
                  .thenApply(MemberRoutes::topUpAnswer);
            }))),
        // a top-up's payment (<memberId>-TU<n>) is read and cancelled where a bill's is; any other id is the bills'
        path(segment("payments").slash(segment()), paymentId -> !isTopUp(paymentId) ? reject() : get(() ->
            read(Roles.READERS, who -> members.topUpPayment(who.venue(), BillRoutes.requireOpaqueId("paymentId", paymentId))
                .thenApply(t -> ApiResult.ok(Representations.topUp(t.topUp())))))),
        path(segment("payments").slash(segment()).slash("cancel"), paymentId -> !isTopUp(paymentId) ? reject() : post(() ->
            write("cancel", Roles.CASHIER, (body, caller) ->
                members.cancelTopUp(caller.venue(), BillRoutes.requireOpaqueId("paymentId", paymentId))
                    .thenApply(t -> ApiResult.ok(Representations.topUp(t.topUp())))))));
  }

  private static boolean isTopUp(String paymentId) {
    return Member.memberIdOfTopUp(paymentId).isPresent();
  }

  /**
   * 201 with the member when the balance holds the money (cash, a standalone terminal's card, a wallet
   * or card the gateway approved at once), 202 while the member has yet to pay (a QR to scan, a code
   * awaiting the member's confirmation), 402 when the payment failed: nothing was credited or charged.
   */
  static ApiResult topUpAnswer(Members.TopUpTaken taken) {
    TopUpPayment t = taken.topUp();
    if (t == null || t.status() == TopUpPayment.Status.SUCCEEDED) {
      return ApiResult.created(Representations.memberToppedUp(taken));
    }
    if (t.pending()) return ApiResult.json(202, Representations.topUpPending(taken));
    return Problems.problem(402, "PAYMENT_DECLINED",
        t.failureReason() == null ? "the top-up's payment failed; nothing was charged or credited" : t.failureReason(),
        Map.of("paymentId", t.paymentId(), "paymentStatus", t.status().name()));
  }
}
