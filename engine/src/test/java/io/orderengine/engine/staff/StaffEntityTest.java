package io.orderengine.engine.staff;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderengine.engine.EntityTestKitConfig;
import io.orderengine.engine.Rejected;
import io.orderengine.engine.Rejection;
import io.orderengine.engine.staff.Staff.Challenge;
import io.orderengine.engine.staff.Staff.ChallengeOutcome;
import io.orderengine.engine.staff.Staff.MemberView;
import io.orderengine.engine.staff.Staff.SessionView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A venue's staff in its shell, on the in-memory journal: the commands' replies, what is persisted
 * (never a PIN), the notices of ended sessions sent only after the journal has them, and recovery.
 */
class StaffEntityTest {
  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  static final StaffPolicy POLICY = new StaffPolicy(Duration.ofHours(12), 5, Duration.ofSeconds(30), Duration.ofMinutes(15), 10, 10_000);
  static final PinHash PIN = PinHash.of("4071", 10_000);

  private static final AtomicInteger VENUES = new AtomicInteger();
  private static ActorTestKit testKit;

  private String venueId;
  private final List<StaleSessions> notices = new CopyOnWriteArrayList<>();
  private EventSourcedBehaviorTestKit<Staff.Command, Staff.Event, StaffState> staff;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create(EntityTestKitConfig.config());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newVenue() {
    venueId = "V" + VENUES.incrementAndGet();
    notices.clear();
    staff = EventSourcedBehaviorTestKit.create(testKit.system(), Staff.create(venueId, POLICY, notices::add));
  }

  private StatusReply<MemberView> hire(String staffId, long pinMatchesVersion) {
    return staff.<StatusReply<MemberView>>runCommand(r -> new Staff.Hire(staffId, "Li Na", StaffRole.WAITER, PIN,
        pinMatchesVersion, T0, r)).reply();
  }

  private Challenge begin(String staffId, Instant at) {
    return staff.<Challenge>runCommand(r -> new Staff.BeginSignIn(staffId, at, r)).reply();
  }

  private StatusReply<SessionView> start(String staffId, long pinVersion, String hash, Instant at) {
    return staff.<StatusReply<SessionView>>runCommand(r -> new Staff.StartSession(staffId, pinVersion, hash, at, r)).reply();
  }

  private SessionView check(String hash, Instant at) {
    return staff.<Staff.SessionCheck>runCommand(r -> new Staff.CheckSession(hash, at, r)).reply().session();
  }

  private static Rejection rejection(StatusReply<?> reply) {
    assertThat(reply.isError()).as("reply %s", reply).isTrue();
    return ((Rejected) reply.getError()).code();
  }

  @Test
  void a_member_is_hired_once_and_a_second_hire_of_the_id_is_staff_exists_unless_identical() {
    assertThat(hire("w07", -1).getValue().name()).isEqualTo("Li Na");
    var identical = staff.<StatusReply<MemberView>>runCommand(r -> new Staff.Hire("w07", "Li Na", StaffRole.WAITER,
        PinHash.of("4071", 10_000), 1, T0, r));

    assertThat(identical.hasNoEvents()).isTrue();
    assertThat(identical.reply().getValue().staffId()).isEqualTo("w07");
    assertThat(rejection(hire("w07", -1))).isEqualTo(Rejection.STAFF_EXISTS);
    var roster = staff.<Staff.RosterView>runCommand(Staff.GetRoster::new).reply();
    assertThat(roster.staff()).extracting(MemberView::staffId).containsExactly("w07");
  }

  @Test
  void sign_in_counts_the_attempt_hands_out_the_hash_and_a_session_stands_for_the_member() {
    hire("w07", -1);

    var begun = staff.<Challenge>runCommand(r -> new Staff.BeginSignIn("w07", T0, r));
    assertThat(begun.event()).isEqualTo(new Staff.SignInAttempted(venueId, "w07", T0));
    assertThat(begun.reply().outcome()).isEqualTo(ChallengeOutcome.READY);
    assertThat(begun.reply().pin().matches("4071")).isTrue();

    SessionView session = start("w07", begun.reply().pinVersion(), "h1", T0).getValue();
    assertThat(session).isEqualTo(new SessionView(venueId, "w07", "Li Na", StaffRole.WAITER, T0.plus(Duration.ofHours(12))));
    assertThat(check("h1", T0.plusSeconds(60))).isEqualTo(session);
    assertThat(notices).isEmpty();

    var unknown = staff.<Challenge>runCommand(r -> new Staff.BeginSignIn("w99", T0, r));
    assertThat(unknown.hasNoEvents()).isTrue();
    assertThat(unknown.reply().outcome()).isEqualTo(ChallengeOutcome.UNKNOWN);
  }

  @Test
  void disabling_ends_the_sessions_and_tells_the_cluster_after_the_journal_has_it() {
    hire("w07", -1);
    start("w07", begin("w07", T0).pinVersion(), "h1", T0);

    var disabled = staff.<StatusReply<MemberView>>runCommand(r -> new Staff.Change("w07", null, null, null, true, T0.plusSeconds(5), r));

    assertThat(disabled.reply().getValue().disabled()).isTrue();
    assertThat(disabled.reply().getValue().liveSessions()).isZero();
    assertThat(notices).containsExactly(new StaleSessions(venueId, "w07", List.of("h1")));
    assertThat(check("h1", T0.plusSeconds(6))).isNull();
    assertThat(begin("w07", T0.plusSeconds(6)).outcome()).isEqualTo(ChallengeOutcome.UNKNOWN);
    assertThat(rejection(staff.<StatusReply<MemberView>>runCommand(
        r -> new Staff.Change("w99", null, null, null, true, T0, r)).reply())).isEqualTo(Rejection.NOT_FOUND);
  }

  @Test
  void sign_out_ends_one_session_and_tells_the_cluster() {
    hire("w07", -1);
    start("w07", begin("w07", T0).pinVersion(), "h1", T0);
    start("w07", begin("w07", T0).pinVersion(), "h2", T0);

    StatusReply<Done> out = staff.<StatusReply<Done>>runCommand(r -> new Staff.EndSession("h1", T0.plusSeconds(1), r)).reply();

    assertThat(out.isSuccess()).isTrue();
    assertThat(notices).containsExactly(new StaleSessions(venueId, "w07", List.of("h1")));
    assertThat(check("h1", T0.plusSeconds(2))).isNull();
    assertThat(check("h2", T0.plusSeconds(2))).isNotNull();
  }

  @Test
  void the_back_off_sessions_and_pin_survive_a_restart_and_no_pin_is_persisted() {
    hire("w07", -1);
    start("w07", begin("w07", T0).pinVersion(), "h1", T0);
    for (int i = 0; i < 5; i++) begin("w07", T0.plusSeconds(10));

    StaffState recovered = staff.restart().state();

    assertThat(recovered.check("h1", T0.plusSeconds(11)).session()).isNotNull();
    Challenge blocked = begin("w07", T0.plusSeconds(11));
    assertThat(blocked.outcome()).isEqualTo(ChallengeOutcome.BLOCKED);
    assertThat(blocked.retryAfterSeconds()).isEqualTo(29);
    assertThat(recovered.members().get("w07").pin().matches("4071")).isTrue();
    assertThat(staff.persistenceTestKit().persistedInStorage("Staff|" + venueId).toString()).doesNotContain("4071");
  }
}
