package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.usecase.Members;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Representations;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import org.apache.pekko.http.javadsl.server.Route;

/** Members and their stored value (储值). */
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
              return members.topUp(caller.venue(), memberId, caller.requestId(), amount, method, caller.principal().name())
                  .thenApply(m -> ApiResult.created(Representations.member(m)));
            }))));
  }
}
