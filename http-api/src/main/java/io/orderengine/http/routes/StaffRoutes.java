package io.orderengine.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.orderengine.engine.staff.PinHash;
import io.orderengine.engine.staff.Staff.MemberView;
import io.orderengine.engine.staff.StaffRole;
import io.orderengine.engine.usecase.Staffing;
import io.orderengine.http.auth.Principal;
import io.orderengine.http.auth.Role;
import io.orderengine.http.auth.Roles;
import io.orderengine.http.auth.Sessions;
import io.orderengine.http.auth.Tokens;
import io.orderengine.http.json.ApiResult;
import io.orderengine.http.json.Body;
import io.orderengine.http.ledger.RequestLedger;
import io.orderengine.http.problems.BadRequest;
import io.orderengine.http.problems.Forbidden;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A venue's staff (员工): {@code GET|POST /staff}, {@code GET|PATCH /staff/{staffId}}. The owner (and
 * the admin) hire and change anyone. A manager may hire and change waiters, cashiers, kitchen staff
 * and analysts (the shift lead taking on help on a busy night) but neither make nor touch a manager or
 * an owner. No answer carries a PIN or its hash.
 *
 * <p>These writes are idempotent by their nature (a hire repeated with the same name, role and PIN
 * answers the member again; a change sets values), so an {@code Idempotency-Key} is ignored: the
 * ledger would otherwise keep a digest of a body that holds a PIN.
 */
public final class StaffRoutes extends RequestHandling {
  private final Staffing staffing;
  private final Sessions sessions;

  public StaffRoutes(Staffing staffing, Sessions sessions, Tokens tokens, RequestLedger ledger) {
    super(tokens, ledger);
    this.staffing = staffing;
    this.sessions = sessions;
  }

  public record StaffJson(String staffId, String name, String role, boolean disabled, Instant hiredAt, int liveSessions,
      Instant signInBlockedUntil) {}

  public record StaffList(List<StaffJson> staff) {}

  static StaffJson json(MemberView v) {
    return new StaffJson(v.staffId(), v.name(), v.role().name().toLowerCase(Locale.ROOT), v.disabled(), v.hiredAt(),
        v.liveSessions(), v.signInBlockedUntil());
  }

  public Route route() {
    return pathPrefix("staff", () -> concat(
        pathEnd(() -> concat(
            get(() -> read(Roles.MANAGER, who -> staffing.roster(who.venue())
                .thenApply(all -> ApiResult.ok(new StaffList(all.stream().map(StaffRoutes::json).toList()))))),
            post(() -> withoutKey(() -> write("staff-hire", Roles.MANAGER, (body, caller) -> {
              String staffId = body.requiredId("staffId");
              String name = name(body.requiredNonBlank("name"));
              StaffRole role = role(body.requiredText("role"));
              String pin = pin(body.requiredText("pin"));
              requireMayManage(caller.principal(), role);
              return staffing.hire(caller.venue(), staffId, name, role, pin).thenApply(v -> ApiResult.created(json(v)));
            }))))),
        path(segment(), staffId -> concat(
            get(() -> read(Roles.MANAGER, who -> staffing.member(who.venue(), requireId("staffId", staffId))
                .thenApply(v -> ApiResult.ok(json(v))))),
            patch(() -> withoutKey(() -> write("staff-change", Roles.MANAGER, (body, caller) -> {
              requireId("staffId", staffId);
              Optional<String> name = body.optionalText("name").map(StaffRoutes::name);
              Optional<StaffRole> role = body.optionalText("role").map(StaffRoutes::role);
              Optional<String> pin = body.optionalText("pin").map(StaffRoutes::pin);
              Optional<Boolean> disabled = body.has("disabled") ? Optional.of(body.requiredBoolean("disabled")) : Optional.empty();
              if (name.isEmpty() && role.isEmpty() && pin.isEmpty() && disabled.isEmpty()) {
                throw new BadRequest("give one or more of 'name', 'role', 'pin', 'disabled'");
              }
              role.ifPresent(r -> requireMayManage(caller.principal(), r));
              return staffing.member(caller.venue(), staffId).thenCompose(before -> {
                requireMayManage(caller.principal(), before.role());
                return staffing.change(caller.venue(), staffId, name, role, pin, disabled);
              }).thenApply(v -> {
                // this node at once; the others by the staff entity's notice
                sessions.forgetMember(caller.venue(), staffId);
                return ApiResult.ok(json(v));
              });
            })))))));
  }

  /** A manager runs the floor, not the venue: managers and owners are the owner's to make and change. */
  static void requireMayManage(Principal who, StaffRole target) {
    if (who.role() == Role.MANAGER && target.runsTheVenue()) {
      throw new Forbidden("FORBIDDEN", "only the venue's owner hires or changes a manager or an owner");
    }
  }

  private static String name(String name) {
    if (name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequest("'name' must be 1..64 characters, none of them control characters");
    }
    return name;
  }

  private static StaffRole role(String role) {
    return StaffRole.parse(role).orElseThrow(() -> new BadRequest(
        "'role' must be one of waiter, cashier, kitchen, manager, analyst, owner"));
  }

  private static String pin(String pin) {
    if (!PinHash.isWellFormed(pin)) throw new BadRequest("'pin' must be a string of 4 to 12 digits");
    return pin;
  }
}
