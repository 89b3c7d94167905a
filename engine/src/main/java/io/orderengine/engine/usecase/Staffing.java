package io.orderengine.engine.usecase;

import static io.orderengine.engine.usecase.Asks.answer;

import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.staff.PinHash;
import io.orderengine.engine.staff.StaffPolicy;
import io.orderengine.engine.staff.Staff;
import io.orderengine.engine.staff.Staff.ChallengeOutcome;
import io.orderengine.engine.staff.Staff.MemberView;
import io.orderengine.engine.staff.Staff.SessionView;
import io.orderengine.engine.staff.StaffRole;
import io.orderengine.engine.staff.StaleSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * A venue's staff: hiring and changing members, and signing them in and out of the tills with their
 * staff id and PIN. PINs are hashed and checked here, on Pekko's blocking dispatcher, never on an
 * entity's thread; the staff entity only ever sees hashes. Session tokens are the caller's to make:
 * this side sees the SHA-256 of a token only.
 */
public final class Staffing {

  /** How a sign-in ended. Unknown staff, a disabled member and a wrong PIN are one answer: {@link NotSignedIn}. */
  public sealed interface SignIn {}

  public record SignedIn(SessionView session) implements SignIn {}

  public record NotSignedIn() implements SignIn {}

  /** Too many sign-ins of this member went wrong in a row: none is checked until {@code retryAfter} has passed. */
  public record Blocked(Duration retryAfter) implements SignIn {}

  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final StaffPolicy policy;
  private final ActorRef<Topic.Command<StaleSessions>> topic;
  private final Executor hashing;
  /** What an unknown member's PIN is checked against, so that answer takes as long as a wrong PIN's. */
  private final CompletableFuture<PinHash> decoy;

  public Staffing(ActorSystem<?> system, Duration askTimeout, StaffPolicy policy, ActorRef<Topic.Command<StaleSessions>> topic) {
    this.sharding = ClusterSharding.get(system);
    this.askTimeout = askTimeout;
    this.policy = policy;
    this.topic = topic;
    this.hashing = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.decoy = CompletableFuture.supplyAsync(() -> PinHash.of("0000", policy.pinHashIterations()), hashing);
  }

  public StaffPolicy policy() {
    return policy;
  }

  /** Hires a member; hiring the same member with the same name, role and PIN again answers the member. */
  public CompletionStage<MemberView> hire(String venueId, String staffId, String name, StaffRole role, String pin) {
    PinHash.requireWellFormed(pin);
    return ref(venueId).ask((ActorRef<Staff.Credentials> r) -> new Staff.GetCredentials(staffId, r), askTimeout)
        .thenCompose(existing -> CompletableFuture.supplyAsync(() -> {
          long matches = existing.member() != null && existing.pin().matches(pin) ? existing.pinVersion() : -1;
          return new HashedPin(PinHash.of(pin, policy.pinHashIterations()), matches);
        }, hashing))
        .thenCompose(made -> answer(ref(venueId).<MemberView>askWithStatus(
            r -> new Staff.Hire(staffId, name, role, made.pin(), made.matchesVersion(), Instant.now(), r), askTimeout)));
  }

  /** A new PIN's hash, and the version of the member's PIN it equals (-1: none). */
  private record HashedPin(PinHash pin, long matchesVersion) {}

  /** Changes what is given; a new PIN or disabling ends the member's sessions on every node. */
  public CompletionStage<MemberView> change(String venueId, String staffId, Optional<String> name, Optional<StaffRole> role,
      Optional<String> pin, Optional<Boolean> disabled) {
    pin.ifPresent(PinHash::requireWellFormed);
    CompletionStage<PinHash> hashed = pin.isEmpty() ? CompletableFuture.completedFuture(null)
        : CompletableFuture.supplyAsync(() -> PinHash.of(pin.get(), policy.pinHashIterations()), hashing);
    return hashed.thenCompose(h -> answer(ref(venueId).<MemberView>askWithStatus(r -> new Staff.Change(staffId,
        name.orElse(null), role.orElse(null), h, disabled.orElse(null), Instant.now(), r), askTimeout)));
  }

  public CompletionStage<MemberView> member(String venueId, String staffId) {
    return ref(venueId).ask((ActorRef<Staff.Credentials> r) -> new Staff.GetCredentials(staffId, r), askTimeout)
        .thenApply(c -> {
          if (c.member() == null) throw new Rejected(Rejection.NOT_FOUND, "no staff member " + staffId);
          return c.member();
        });
  }

  public CompletionStage<List<MemberView>> roster(String venueId) {
    return ref(venueId).ask(Staff.GetRoster::new, askTimeout).thenApply(Staff.RosterView::staff);
  }

  /**
   * Signs a member in: the attempt is counted by the entity first, the PIN checked off the actors, and a
   * session under {@code tokenHash} opened if it matched. An unknown or disabled member's PIN is checked
   * against a decoy, so the answer takes as long as a wrong PIN's.
   */
  public CompletionStage<SignIn> signIn(String venueId, String staffId, String pin, String tokenHash) {
    if (!PinHash.isWellFormed(pin)) return CompletableFuture.completedFuture(new NotSignedIn());
    return ref(venueId).ask((ActorRef<Staff.Challenge> r) -> new Staff.BeginSignIn(staffId, Instant.now(), r), askTimeout)
        .thenCompose(challenge -> {
          if (challenge.outcome() == ChallengeOutcome.BLOCKED) {
            return CompletableFuture.completedFuture(new Blocked(Duration.ofSeconds(challenge.retryAfterSeconds())));
          }
          boolean known = challenge.outcome() == ChallengeOutcome.READY;
          CompletionStage<PinHash> against = known ? CompletableFuture.completedFuture(challenge.pin()) : decoy;
          return against.thenApplyAsync(hash -> known && hash.matches(pin), hashing).thenCompose(matched -> {
            if (!matched) return CompletableFuture.completedFuture(new NotSignedIn());
            return ref(venueId).<SessionView>askWithStatus(
                    r -> new Staff.StartSession(staffId, challenge.pinVersion(), tokenHash, Instant.now(), r), askTimeout)
                .handle((session, failure) -> {
                  if (failure == null) return (SignIn) new SignedIn(session);
                  // disabled or PIN reset between the check and the session: as if the PIN were wrong
                  if (Rejected.unwrap(failure) instanceof Rejected) return new NotSignedIn();
                  throw new java.util.concurrent.CompletionException(Rejected.unwrap(failure));
                });
          });
        });
  }

  /** Whom a session token's hash stands for now, if anyone. */
  public CompletionStage<Optional<SessionView>> session(String venueId, String tokenHash) {
    return ref(venueId).ask((ActorRef<Staff.SessionCheck> r) -> new Staff.CheckSession(tokenHash, Instant.now(), r), askTimeout)
        .thenApply(c -> Optional.ofNullable(c.session()));
  }

  public CompletionStage<Done> signOut(String venueId, String tokenHash) {
    return answer(ref(venueId).askWithStatus(r -> new Staff.EndSession(tokenHash, Instant.now(), r), askTimeout));
  }

  /** {@code subscriber} hears, on this node, of every session that ended or changed anywhere in the cluster. */
  public void subscribe(ActorRef<StaleSessions> subscriber) {
    topic.tell(Topic.subscribe(subscriber));
  }

  private EntityRef<Staff.Command> ref(String venueId) {
    return sharding.entityRefFor(Staff.ENTITY_KEY, venueId);
  }
}
