package io.orderengine.engine.staff;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A venue's staff (one entity per venue, its id the venue's): who works there, in which role, with
 * which PIN (as a {@link PinHash} only), who is disabled, how many sign-ins went wrong in a row, and
 * the sessions signed in at the tills (by the SHA-256 of their token only). Sign-in is two steps so
 * the slow hash runs off this actor: {@link BeginSignIn} counts the attempt before the PIN is
 * checked (so parallel guesses are counted too) and hands out the hash to check against, and
 * {@link StartSession} opens the session once the PIN matched. When sessions end or change, the
 * entity says so on the cluster's topic ({@link SessionNotices}) after the change is in the journal.
 * The decisions are {@link StaffState}'s.
 */
public final class Staff extends DomainEntity<Staff.Command, Staff.Event, StaffState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Staff");
  public static final String TAG = "staff";

  public enum EndReason {
    SIGNED_OUT,
    DISABLED,
    PIN_RESET,
    /** The member signed in at more tills than the policy allows; the oldest session went. */
    SUPERSEDED
  }

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /**
   * {@code pinMatchesVersion}: the PIN version of an existing member with this id whose PIN the caller
   * found equal to the one given (checked off the actor), else -1. A hire identical to the member
   * changes nothing and answers the member; any other hire of a taken id is STAFF_EXISTS.
   */
  public record Hire(String staffId, String name, StaffRole role, PinHash pin, long pinMatchesVersion, Instant at,
      ActorRef<StatusReply<MemberView>> replyTo) implements Command {}

  /** Each of {@code name}, {@code role}, {@code pin} and {@code disabled} is left as it is when null. */
  public record Change(String staffId, String name, StaffRole role, PinHash pin, Boolean disabled, Instant at,
      ActorRef<StatusReply<MemberView>> replyTo) implements Command {}

  public record GetRoster(ActorRef<RosterView> replyTo) implements Command {}

  /** A member and the hash of their PIN, for checking a PIN off the actor; never for the outside. */
  public record GetCredentials(String staffId, ActorRef<Credentials> replyTo) implements Command {}

  public record BeginSignIn(String staffId, Instant at, ActorRef<Challenge> replyTo) implements Command {}

  /** Opens a session for a member whose PIN matched, unless the PIN was reset or the member disabled meanwhile. */
  public record StartSession(String staffId, long pinVersion, String tokenHash, Instant at,
      ActorRef<StatusReply<SessionView>> replyTo) implements Command {}

  public record CheckSession(String tokenHash, Instant at, ActorRef<SessionCheck> replyTo) implements Command {}

  public record EndSession(String tokenHash, Instant at, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The stored schema: fields are added, never renamed or dropped. */
  public sealed interface Event extends CborSerializable {
    String staffId();
  }

  public record StaffHired(String venueId, String staffId, String name, StaffRole role, PinHash pin, Instant at)
      implements Event {}

  public record StaffRenamed(String venueId, String staffId, String name, Instant at) implements Event {}

  public record RoleChanged(String venueId, String staffId, StaffRole role, Instant at) implements Event {}

  public record PinReset(String venueId, String staffId, PinHash pin, Instant at) implements Event {}

  public record StaffDisabled(String venueId, String staffId, Instant at) implements Event {}

  public record StaffEnabled(String venueId, String staffId, Instant at) implements Event {}

  /** A sign-in began; it counts as gone wrong until a session starts. */
  public record SignInAttempted(String venueId, String staffId, Instant at) implements Event {}

  public record SessionStarted(String venueId, String staffId, String tokenHash, Instant at, Instant expiresAt)
      implements Event {}

  public record SessionsEnded(String venueId, String staffId, List<String> tokenHashes, EndReason reason, Instant at)
      implements Event {}

  // ---- replies ----

  /** A member as others may see them: never a PIN or its hash. */
  public record MemberView(String staffId, String name, StaffRole role, boolean disabled, Instant hiredAt,
      int liveSessions, Instant signInBlockedUntil) implements CborSerializable {}

  public record RosterView(List<MemberView> staff) implements CborSerializable {}

  /** {@code member} null when there is no such member. */
  public record Credentials(MemberView member, PinHash pin, long pinVersion) implements CborSerializable {}

  public enum ChallengeOutcome {
    /** Check the PIN against {@code pin}; the attempt is counted. */
    READY,
    /** No such member, or disabled: the caller answers exactly as for a wrong PIN. */
    UNKNOWN,
    /** Too many attempts went wrong: try again in {@code retryAfterSeconds}. */
    BLOCKED
  }

  public record Challenge(ChallengeOutcome outcome, PinHash pin, long pinVersion, long retryAfterSeconds)
      implements CborSerializable {
    static Challenge unknown() {
      return new Challenge(ChallengeOutcome.UNKNOWN, null, 0, 0);
    }
  }

  /** A live session: whom a token stands for. */
  public record SessionView(String venueId, String staffId, String name, StaffRole role, Instant expiresAt)
      implements CborSerializable {}

  /** {@code session} null when the token stands for nobody (unknown, ended, expired, member disabled). */
  public record SessionCheck(SessionView session) implements CborSerializable {}

  // ---- shell ----

  public static void init(ActorSystem<?> system, StaffPolicy policy, SessionNotices notices) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), policy, notices)));
  }

  public static Staff create(String venueId, StaffPolicy policy, SessionNotices notices) {
    return new Staff(venueId, policy, notices);
  }

  private final String venueId;
  private final StaffPolicy policy;
  private final SessionNotices notices;

  private Staff(String venueId, StaffPolicy policy, SessionNotices notices) {
    super(ENTITY_KEY, venueId, TAG);
    this.venueId = venueId;
    this.policy = policy;
    this.notices = notices;
  }

  @Override
  public StaffState emptyState() {
    return StaffState.empty(venueId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, StaffState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, StaffState> b = newCommandHandlerWithReplyBuilder();
    b.forAnyState()
        .onCommand(Hire.class, (s, c) -> member(s.decideHire(c.staffId(), c.name(), c.role(), c.pin(),
            c.pinMatchesVersion(), c.at()), c.staffId(), c.at(), c.replyTo()))
        .onCommand(Change.class, (s, c) -> member(s.decideChange(c.staffId(), c.name(), c.role(), c.pin(), c.disabled(),
            c.at()), c.staffId(), c.at(), c.replyTo()))
        .onCommand(GetRoster.class, (s, c) -> Effect().reply(c.replyTo(), s.roster(Instant.now(), policy)))
        .onCommand(GetCredentials.class, (s, c) -> Effect().reply(c.replyTo(), s.credentials(c.staffId(), Instant.now(), policy)))
        .onCommand(BeginSignIn.class, this::beginSignIn)
        .onCommand(StartSession.class, (s, c) -> decide(s.decideStartSession(c.staffId(), c.pinVersion(), c.tokenHash(),
            c.at(), policy), c.replyTo(), after -> after.check(c.tokenHash(), c.at()).session(), this::tellStale))
        .onCommand(CheckSession.class, (s, c) -> Effect().reply(c.replyTo(), s.check(c.tokenHash(), c.at())))
        .onCommand(EndSession.class, (s, c) -> decide(s.decideEndSession(c.tokenHash(), c.at()), c.replyTo(),
            after -> Done.getInstance(), this::tellStale));
    return b.build();
  }

  private ReplyEffect<Event, StaffState> beginSignIn(StaffState s, BeginSignIn c) {
    Challenge challenge = s.challenge(c.staffId(), c.at(), policy);
    if (challenge.outcome() != ChallengeOutcome.READY) return Effect().reply(c.replyTo(), challenge);
    return Effect().persist(s.attempted(c.staffId(), c.at())).thenReply(c.replyTo(), after -> challenge);
  }

  private ReplyEffect<Event, StaffState> member(Decision<Event> decision, String staffId, Instant at,
      ActorRef<StatusReply<MemberView>> replyTo) {
    return decide(decision, replyTo, after -> after.view(staffId, at, policy), this::tellStale);
  }

  /** After the journal has the change, before the answer: the cluster forgets what it cached of these sessions. */
  private void tellStale(StaffState after, List<Event> events) {
    after.staleAfter(events).forEach(notices::stale);
  }
}
