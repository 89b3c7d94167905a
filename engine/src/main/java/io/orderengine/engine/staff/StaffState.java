package io.orderengine.engine.staff;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.Decision;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.staff.Staff.Challenge;
import io.orderengine.engine.staff.Staff.ChallengeOutcome;
import io.orderengine.engine.staff.Staff.Credentials;
import io.orderengine.engine.staff.Staff.EndReason;
import io.orderengine.engine.staff.Staff.Event;
import io.orderengine.engine.staff.Staff.MemberView;
import io.orderengine.engine.staff.Staff.PinReset;
import io.orderengine.engine.staff.Staff.RoleChanged;
import io.orderengine.engine.staff.Staff.RosterView;
import io.orderengine.engine.staff.Staff.SessionCheck;
import io.orderengine.engine.staff.Staff.SessionStarted;
import io.orderengine.engine.staff.Staff.SessionView;
import io.orderengine.engine.staff.Staff.SessionsEnded;
import io.orderengine.engine.staff.Staff.SignInAttempted;
import io.orderengine.engine.staff.Staff.StaffDisabled;
import io.orderengine.engine.staff.Staff.StaffEnabled;
import io.orderengine.engine.staff.Staff.StaffHired;
import io.orderengine.engine.staff.Staff.StaffRenamed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A venue's staff, the pure core: the members by id and the live sessions by the hash of their token.
 * One stage only (a venue's staff is never closed); every decision takes the instant it is made at,
 * so expiry and back-off are decided here and replay the same.
 */
public record StaffState(String venueId, Map<String, Member> members, Map<String, Session> sessions)
    implements CborSerializable, DomainEntity.Evolving<Event, StaffState> {

  static final int MAX_NAME = 64;

  /** {@code failedAttempts}: sign-ins begun since the last that opened a session (or the last PIN reset). */
  public record Member(String staffId, String name, StaffRole role, PinHash pin, long pinVersion, boolean disabled,
      int failedAttempts, Instant lastAttemptAt, Instant hiredAt) {}

  public record Session(String tokenHash, String staffId, Instant startedAt, Instant expiresAt) {}

  public StaffState {
    members = Map.copyOf(members);
    sessions = Map.copyOf(sessions);
  }

  public static StaffState empty(String venueId) {
    return new StaffState(venueId, Map.of(), Map.of());
  }

  // ---- decisions ----

  public Decision<Event> decideHire(String staffId, String name, StaffRole role, PinHash pin, long pinMatchesVersion,
      Instant at) {
    String invalid = invalidName(name);
    if (invalid != null) return Decision.refuse(Rejection.VALIDATION_FAILED, invalid);
    if (role == null || pin == null) return Decision.refuse(Rejection.VALIDATION_FAILED, "a member of staff has a role and a PIN");
    Member m = members.get(staffId);
    if (m == null) return Decision.accept(new StaffHired(venueId, staffId, name, role, pin, at));
    boolean identical = m.name().equals(name) && m.role() == role && !m.disabled() && m.pinVersion() == pinMatchesVersion;
    if (identical) return Decision.none();
    return Decision.refuse(Rejection.STAFF_EXISTS, "staff id " + staffId + " is taken; change the member with PATCH",
        Map.of("staffId", staffId));
  }

  /** Each change given (non-null) that differs from the member; disabling or a new PIN ends the member's sessions. */
  public Decision<Event> decideChange(String staffId, String name, StaffRole role, PinHash pin, Boolean disabled,
      Instant at) {
    Member m = members.get(staffId);
    if (m == null) return Decision.refuse(Rejection.NOT_FOUND, "no staff member " + staffId);
    if (name != null && invalidName(name) != null) return Decision.refuse(Rejection.VALIDATION_FAILED, invalidName(name));
    List<Event> events = new ArrayList<>();
    if (name != null && !name.equals(m.name())) events.add(new StaffRenamed(venueId, staffId, name, at));
    if (role != null && role != m.role()) events.add(new RoleChanged(venueId, staffId, role, at));
    if (pin != null) events.add(new PinReset(venueId, staffId, pin, at));
    boolean disabling = Boolean.TRUE.equals(disabled) && !m.disabled();
    if (disabling) events.add(new StaffDisabled(venueId, staffId, at));
    if (Boolean.FALSE.equals(disabled) && m.disabled()) events.add(new StaffEnabled(venueId, staffId, at));
    if (disabling || pin != null) {
      List<String> live = sessionsOf(staffId).stream().map(Session::tokenHash).toList();
      if (!live.isEmpty()) {
        events.add(new SessionsEnded(venueId, staffId, live, disabling ? EndReason.DISABLED : EndReason.PIN_RESET, at));
      }
    }
    return Decision.accept(events);
  }

  /**
   * What a sign-in may check a PIN against. An unknown or disabled member is {@code UNKNOWN}, which the
   * caller answers exactly like a wrong PIN; a member with too many attempts gone wrong in a row waits
   * out a back-off that doubles with each further one, up to the policy's ceiling.
   */
  public Challenge challenge(String staffId, Instant at, StaffPolicy policy) {
    Member m = members.get(staffId);
    if (m == null || m.disabled()) return Challenge.unknown();
    Instant until = blockedUntil(m, policy);
    if (until != null && at.isBefore(until)) {
      long seconds = Math.max(1, (Duration.between(at, until).toMillis() + 999) / 1000);
      return new Challenge(ChallengeOutcome.BLOCKED, null, 0, seconds);
    }
    return new Challenge(ChallengeOutcome.READY, m.pin(), m.pinVersion(), 0);
  }

  /** The event of a sign-in begun, counted before its PIN is checked. */
  public SignInAttempted attempted(String staffId, Instant at) {
    return new SignInAttempted(venueId, staffId, at);
  }

  /**
   * A session for a member whose PIN matched version {@code pinVersion}; refused (NOT_FOUND, which the
   * caller answers as a wrong PIN) if the member was disabled or the PIN reset since it was checked.
   * Beyond the policy's sessions per member, the oldest ends.
   */
  public Decision<Event> decideStartSession(String staffId, long pinVersion, String tokenHash, Instant at,
      StaffPolicy policy) {
    Member m = members.get(staffId);
    if (m == null || m.disabled() || m.pinVersion() != pinVersion) {
      return Decision.refuse(Rejection.NOT_FOUND, "no such member of staff with that PIN");
    }
    if (sessions.containsKey(tokenHash)) return Decision.refuse(Rejection.VALIDATION_FAILED, "that session exists");
    List<Event> events = new ArrayList<>();
    List<Session> live = sessionsOf(staffId).stream().filter(s -> s.expiresAt().isAfter(at))
        .sorted(Comparator.comparing(Session::startedAt)).toList();
    int over = live.size() - policy.maxSessionsPerMember() + 1;
    if (over > 0) {
      events.add(new SessionsEnded(venueId, staffId, live.subList(0, over).stream().map(Session::tokenHash).toList(),
          EndReason.SUPERSEDED, at));
    }
    events.add(new SessionStarted(venueId, staffId, tokenHash, at, at.plus(policy.sessionLength())));
    return Decision.accept(events);
  }

  public Decision<Event> decideEndSession(String tokenHash, Instant at) {
    Session s = sessions.get(tokenHash);
    if (s == null) return Decision.none();
    return Decision.accept(new SessionsEnded(venueId, s.staffId(), List.of(tokenHash), EndReason.SIGNED_OUT, at));
  }

  // ---- questions ----

  /** Whom a token's hash stands for at {@code at}: a live session of an enabled member, or nobody. */
  public SessionCheck check(String tokenHash, Instant at) {
    Session s = sessions.get(tokenHash);
    if (s == null || !at.isBefore(s.expiresAt())) return new SessionCheck(null);
    Member m = members.get(s.staffId());
    if (m == null || m.disabled()) return new SessionCheck(null);
    return new SessionCheck(new SessionView(venueId, m.staffId(), m.name(), m.role(), s.expiresAt()));
  }

  public MemberView view(String staffId, Instant at, StaffPolicy policy) {
    Member m = members.get(staffId);
    if (m == null) return null;
    int live = (int) sessionsOf(staffId).stream().filter(s -> s.expiresAt().isAfter(at)).count();
    Instant until = blockedUntil(m, policy);
    return new MemberView(m.staffId(), m.name(), m.role(), m.disabled(), m.hiredAt(), live,
        until != null && until.isAfter(at) ? until : null);
  }

  public RosterView roster(Instant at, StaffPolicy policy) {
    return new RosterView(members.keySet().stream().sorted().map(id -> view(id, at, policy)).toList());
  }

  public Credentials credentials(String staffId, Instant at, StaffPolicy policy) {
    Member m = members.get(staffId);
    return m == null ? new Credentials(null, null, 0) : new Credentials(view(staffId, at, policy), m.pin(), m.pinVersion());
  }

  /**
   * The notices the cluster needs after {@code events} (this state being the one after them): the
   * sessions they ended, and the live sessions of a member whose name or role changed (a node's cache
   * holds both).
   */
  public List<StaleSessions> staleAfter(List<Event> events) {
    Map<String, Set<String>> byMember = new HashMap<>();
    for (Event e : events) {
      if (e instanceof SessionsEnded ended) {
        byMember.computeIfAbsent(ended.staffId(), k -> new LinkedHashSet<>()).addAll(ended.tokenHashes());
      } else if (e instanceof StaffRenamed || e instanceof RoleChanged) {
        sessionsOf(e.staffId()).forEach(s -> byMember.computeIfAbsent(e.staffId(), k -> new LinkedHashSet<>()).add(s.tokenHash()));
      }
    }
    return byMember.entrySet().stream().filter(en -> !en.getValue().isEmpty()).sorted(Map.Entry.comparingByKey())
        .map(en -> new StaleSessions(venueId, en.getKey(), List.copyOf(en.getValue()))).toList();
  }

  private List<Session> sessionsOf(String staffId) {
    return sessions.values().stream().filter(s -> s.staffId().equals(staffId)).toList();
  }

  private static Instant blockedUntil(Member m, StaffPolicy policy) {
    Duration backoff = policy.backoffAfter(m.failedAttempts());
    return backoff.isZero() || m.lastAttemptAt() == null ? null : m.lastAttemptAt().plus(backoff);
  }

  private static String invalidName(String name) {
    if (name == null || name.isBlank()) return "a member of staff has a name";
    if (name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      return "a name is at most " + MAX_NAME + " characters, none of them control characters";
    }
    return null;
  }

  // ---- events ----

  @Override
  public StaffState apply(Event event) {
    if (event instanceof StaffHired e) {
      return withMember(new Member(e.staffId(), e.name(), e.role(), e.pin(), 1, false, 0, null, e.at()));
    }
    if (event instanceof StaffRenamed e) {
      return change(e.staffId(), m -> new Member(m.staffId(), e.name(), m.role(), m.pin(), m.pinVersion(), m.disabled(),
          m.failedAttempts(), m.lastAttemptAt(), m.hiredAt()));
    }
    if (event instanceof RoleChanged e) {
      return change(e.staffId(), m -> new Member(m.staffId(), m.name(), e.role(), m.pin(), m.pinVersion(), m.disabled(),
          m.failedAttempts(), m.lastAttemptAt(), m.hiredAt()));
    }
    if (event instanceof PinReset e) {
      return change(e.staffId(), m -> new Member(m.staffId(), m.name(), m.role(), e.pin(), m.pinVersion() + 1,
          m.disabled(), 0, m.lastAttemptAt(), m.hiredAt()));
    }
    if (event instanceof StaffDisabled e) {
      return change(e.staffId(), m -> new Member(m.staffId(), m.name(), m.role(), m.pin(), m.pinVersion(), true,
          m.failedAttempts(), m.lastAttemptAt(), m.hiredAt()));
    }
    if (event instanceof StaffEnabled e) {
      return change(e.staffId(), m -> new Member(m.staffId(), m.name(), m.role(), m.pin(), m.pinVersion(), false, 0,
          m.lastAttemptAt(), m.hiredAt()));
    }
    if (event instanceof SignInAttempted e) {
      return change(e.staffId(), m -> new Member(m.staffId(), m.name(), m.role(), m.pin(), m.pinVersion(), m.disabled(),
          m.failedAttempts() + 1, e.at(), m.hiredAt()));
    }
    if (event instanceof SessionStarted e) {
      Map<String, Session> next = new HashMap<>();
      // sessions past their end are dropped whenever another starts: the map stays as small as the shift
      sessions.forEach((hash, s) -> {
        if (s.expiresAt().isAfter(e.at())) next.put(hash, s);
      });
      next.put(e.tokenHash(), new Session(e.tokenHash(), e.staffId(), e.at(), e.expiresAt()));
      return new StaffState(venueId, members, next).change(e.staffId(), m -> new Member(m.staffId(), m.name(), m.role(),
          m.pin(), m.pinVersion(), m.disabled(), 0, m.lastAttemptAt(), m.hiredAt()));
    }
    if (event instanceof SessionsEnded e) {
      Map<String, Session> next = new HashMap<>(sessions);
      e.tokenHashes().forEach(next::remove);
      return new StaffState(venueId, members, next);
    }
    throw new IllegalStateException("unknown staff event " + event);
  }

  private StaffState withMember(Member m) {
    Map<String, Member> next = new HashMap<>(members);
    next.put(m.staffId(), m);
    return new StaffState(venueId, next, sessions);
  }

  private StaffState change(String staffId, java.util.function.UnaryOperator<Member> how) {
    Member m = members.get(staffId);
    if (m == null) throw new IllegalStateException("no staff member " + staffId + " at " + venueId);
    return withMember(how.apply(m));
  }
}
