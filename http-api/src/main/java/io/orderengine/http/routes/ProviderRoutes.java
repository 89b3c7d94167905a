package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.payment.Provider;
import io.orderengine.engine.payment.accounts.ProviderAccount;
import io.orderengine.engine.payment.accounts.VenueAccounts;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Json;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A venue's merchant accounts at WeChat Pay and Alipay: the owner connects one with its keys
 * ({@code PUT payment-providers/{provider}}), may disconnect it, and the owner and managers see
 * which are connected, with their ids, the address the provider is to call back, and when a
 * payment last went through it. Secrets go in and never come out: not in an answer, not in the
 * audit trail, not in a log.
 */
public final class ProviderRoutes extends RequestHandling {
  /** The longest field: a 4096-bit RSA key in PEM is about 3,300 characters. */
  private static final int MAX_FIELD = 8_192;

  private final VenueAccounts accounts;
  private final Function<String, CompletionStage<Map<Provider, Instant>>> lastUsed;

  /** {@code lastUsed}: when each provider last took a payment at a venue (from the report tables). */
  public ProviderRoutes(VenueAccounts accounts, Function<String, CompletionStage<Map<Provider, Instant>>> lastUsed,
      Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.accounts = accounts;
    this.lastUsed = lastUsed;
  }

  public Route route() {
    return pathPrefix("payment-providers", () -> concat(
        pathEnd(() -> get(() -> read(Roles.MANAGER, who -> listing(who.venue())))),
        path(segment(), providerName -> concat(
            get(() -> read(Roles.MANAGER, who -> {
              Provider provider = provider(providerName);
              return accounts.accounts(who.venue()).thenCombine(lastUsed.apply(who.venue()), (view, used) ->
                  ApiResult.ok(json(who.venue(), provider, view.account(provider), used.get(provider))));
            })),
            // the same account again changes nothing, so no Idempotency-Key (and no digest of the keys) is kept
            put(() -> withoutKey(() -> write("payment-provider", Roles.OWNER, (body, caller) -> {
              Provider provider = provider(providerName);
              Map<String, String> fields = fields(body.canonical());
              return accounts.configure(caller.venue(), provider, fields, caller.principal().name(), Instant.now())
                  .thenApply(view -> ApiResult.ok(json(caller.venue(), provider, view.account(provider), null)));
            }))),
            delete(() -> write("payment-provider-remove", Roles.OWNER, (body, caller) -> {
              Provider provider = provider(providerName);
              return accounts.remove(caller.venue(), provider, caller.principal().name(), Instant.now())
                  .thenApply(view -> ApiResult.ok(json(caller.venue(), provider, Optional.empty(), null)));
            }))))));
  }

  private CompletionStage<ApiResult> listing(String venueId) {
    return accounts.accounts(venueId).thenCombine(lastUsed.apply(venueId), (view, used) -> {
      List<Map<String, Object>> providers = new ArrayList<>();
      for (Provider p : List.of(Provider.WECHAT, Provider.ALIPAY)) providers.add(json(venueId, p, view.account(p), used.get(p)));
      return ApiResult.ok(Map.of("providers", providers));
    });
  }

  /** A provider's account as anyone at the back office may see it: never a secret field. */
  private Map<String, Object> json(String venueId, Provider provider, Optional<ProviderAccount> account, Instant lastUsedAt) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("provider", provider.wire());
    out.put("configured", account.isPresent());
    account.ifPresent(a -> {
      out.putAll(a.settings());
      out.put("configuredAt", a.configuredAt().toString());
      out.put("configuredBy", a.configuredBy());
    });
    out.put("lastUsedAt", lastUsedAt == null ? null : lastUsedAt.toString());
    // where the provider is to send its callbacks for this venue: what notifyUrl should end with
    out.put("callbackPath", "/api/v1/venues/" + venueId + "/gateways/" + provider.wire() + "/notify");
    accounts.connector(provider).ifPresent(c -> out.put("secretFields", c.secretFields().stream().sorted().toList()));
    return out;
  }

  private Provider provider(String name) {
    Provider provider = Provider.parse(name).filter(p -> p == Provider.WECHAT || p == Provider.ALIPAY)
        .orElseThrow(() -> new Rejected(Rejection.NOT_FOUND, "no payment provider '" + name + "' (wechat, alipay)"));
    if (accounts.connector(provider).isEmpty()) {
      throw new Rejected(Rejection.NOT_FOUND, "this node cannot connect " + provider.wire() + " accounts");
    }
    return provider;
  }

  /** The body's fields, each a string; a secret's value never appears in a refusal. */
  static Map<String, String> fields(String canonical) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(canonical);
    } catch (Exception e) {
      throw new BadRequest("the body is not valid JSON");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isNull()) continue;
      if (!f.getValue().isTextual()) throw new BadRequest("'" + f.getKey() + "' must be a string");
      String value = f.getValue().textValue().strip();
      if (value.length() > MAX_FIELD) throw new BadRequest("'" + f.getKey() + "' is longer than " + MAX_FIELD + " characters");
      if (!value.isEmpty()) fields.put(f.getKey(), value);
    }
    return fields;
  }
}
