package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staff hired by the owner sign in at a till with their staff id and PIN, on two nodes of one cluster:
 * the session token works on both, guessing is answered alike and then slowed down, and disabling the
 * member or signing out ends the session on both nodes at once (the other node had it cached).
 */
class StaffSignInTest {
  static final String OWNER = "owner-token";
  static final String TOKENS = "owner-token:owner:Boss:main";

  @Test
  void hireSignInUseGuessDisableAndSignOutAcrossTwoNodes(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("db"), 0)) {
      int seedPort = TestNode.freePort();
      List<String> seeds = List.of("127.0.0.1:" + seedPort);
      try (TestNode a = TestNode.start(settings(db, dir.resolve("a"), seedPort, seeds));
          TestNode b = TestNode.start(settings(db, dir.resolve("b"), TestNode.freePort(), seeds))) {

        // hiring: the owner anyone, a manager floor staff only; a taken id is 409 unless the hire is the same
        var hired = a.post("/api/v1/venues/main/staff", OWNER, hire("w07", "Li Na", "waiter", "4071"));
        assertThat(hired.status()).as(hired.raw().body()).isEqualTo(201);
        assertThat(hired.body().path("role").asText()).isEqualTo("waiter");
        assertThat(hired.raw().body()).doesNotContain("4071").doesNotContain("pin");
        assertThat(a.post("/api/v1/staff", OWNER, hire("w07", "Li Na", "waiter", "4071")).status()).isEqualTo(201);
        var taken = a.post("/api/v1/staff", OWNER, hire("w07", "Li Na", "waiter", "9999"));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.code()).isEqualTo("STAFF_EXISTS");
        assertThat(a.post("/api/v1/staff", "demo-manager", hire("m02", "Zhao", "manager", "5555")).status()).isEqualTo(403);
        assertThat(a.post("/api/v1/staff", "demo-manager", hire("w08", "Wang Wei", "waiter", "8080")).status()).isEqualTo(201);
        assertThat(a.post("/api/v1/staff", "demo-waiter", hire("w09", "Chen", "waiter", "9090")).status()).isEqualTo(403);
        assertThat(a.post("/api/v1/staff", OWNER, hire("w09", "Chen", "waiter", "12")).status()).isEqualTo(400);

        // signing in: no token needed; the session token works on every node
        var signedIn = a.post("/api/v1/venues/main/sessions", null, signIn("w07", "4071"));
        assertThat(signedIn.status()).as(signedIn.raw().body()).isEqualTo(201);
        String token = signedIn.body().path("token").asText();
        assertThat(token).startsWith("st1.main.");
        assertThat(signedIn.body().path("role").asText()).isEqualTo("waiter");
        assertThat(signedIn.body().path("name").asText()).isEqualTo("Li Na");
        assertThat(signedIn.body().path("staffId").asText()).isEqualTo("w07");
        assertThat(Duration.between(Instant.now(), Instant.parse(signedIn.body().path("expiresAt").asText())))
            .isBetween(Duration.ofHours(11), Duration.ofHours(12));
        assertThat(signedIn.raw().headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(a.get("/api/v1/tables", token).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/tables", token).status()).isEqualTo(200);
        assertThat(a.post("/api/v1/tables/T05/open", token, "{\"partySize\":2}").status()).isEqualTo(201);
        assertThat(a.get("/api/v1/staff", token).status()).as("a waiter does not manage staff").isEqualTo(403);
        assertThat(a.get("/api/v1/venues/OTHER/staff", token).status()).as("a token of main elsewhere").isEqualTo(403);

        // the audit trail names the member and their staff id
        var audit = a.get("/api/v1/audit?who=w07", "demo-manager");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body().path("rows").findValuesAsText("action")).contains("open", "sign-in");
        assertThat(audit.body().path("rows").get(0).path("who").asText()).isEqualTo("Li Na");
        assertThat(audit.body().path("rows").get(0).path("staffId").asText()).isEqualTo("w07");

        // guessing: wrong PIN and unknown staff answered alike, then the member's sign-ins wait, cluster-wide
        var wrong = a.post("/api/v1/venues/main/sessions", null, signIn("w07", "0000"));
        var unknown = a.post("/api/v1/sessions", null, signIn("nobody", "4071"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo("UNAUTHORIZED");
        assertThat(unknown.body().path("detail")).isEqualTo(wrong.body().path("detail"));
        for (int i = 0; i < 5; i++) {
          assertThat(b.post("/api/v1/venues/main/sessions", null, signIn("w08", "1111")).status()).isEqualTo(401);
        }
        var blocked = a.post("/api/v1/venues/main/sessions", null, signIn("w08", "8080"));
        assertThat(blocked.status()).as("even the right PIN waits, on the other node too").isEqualTo(429);
        assertThat(blocked.code()).isEqualTo("TOO_MANY_ATTEMPTS");
        assertThat(Long.parseLong(blocked.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);

        var roster = a.get("/api/v1/staff", OWNER);
        assertThat(roster.status()).isEqualTo(200);
        assertThat(roster.body().path("staff").findValuesAsText("staffId")).containsExactly("w07", "w08");
        assertThat(roster.raw().body()).doesNotContain("pin").doesNotContain("hash").doesNotContain("salt");
        assertThat(roster.body().path("staff").get(1).path("signInBlockedUntil").isTextual()).isTrue();

        // disabling: the token is refused at once here, and on the other node, which had it cached
        var disabled = a.call("PATCH", "/api/v1/staff/w07", OWNER, "{\"disabled\":true}", null);
        assertThat(disabled.status()).as(disabled.raw().body()).isEqualTo(200);
        assertThat(a.get("/api/v1/tables", token).status()).isEqualTo(401);
        assertThat(refusedWithin(b, token, Duration.ofSeconds(3))).as("refused by the other node well within its cache's 30 s")
            .isTrue();
        var disabledSignIn = a.post("/api/v1/venues/main/sessions", null, signIn("w07", "4071"));
        assertThat(disabledSignIn.status()).isEqualTo(401);
        assertThat(disabledSignIn.body().path("detail")).isEqualTo(wrong.body().path("detail"));

        // signing out: 204, then the token is refused everywhere
        assertThat(a.call("PATCH", "/api/v1/staff/w07", OWNER, "{\"disabled\":false}", null).status()).isEqualTo(200);
        String again = b.post("/api/v1/sessions", null, "{\"venueId\":\"main\",\"staffId\":\"w07\",\"pin\":\"4071\"}")
            .body().path("token").asText();
        assertThat(a.get("/api/v1/tables", again).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/tables", again).status()).isEqualTo(200);
        assertThat(a.call("DELETE", "/api/v1/sessions/current", again, null, null).status()).isEqualTo(204);
        assertThat(a.get("/api/v1/tables", again).status()).isEqualTo(401);
        assertThat(refusedWithin(b, again, Duration.ofSeconds(3))).isTrue();
        assertThat(a.call("DELETE", "/api/v1/sessions/current", "demo-waiter", null, null).status())
            .as("a configured token does not sign out").isEqualTo(400);
      }
    }
  }

  /** Polls in case the notice is a few milliseconds behind the answer; the node's cache would trust it 30 s. */
  static boolean refusedWithin(TestNode node, String token, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (node.get("/api/v1/tables", token).status() == 401) return true;
      Thread.sleep(20);
    }
    return false;
  }

  static String hire(String staffId, String name, String role, String pin) {
    return TestNode.JSON.createObjectNode().put("staffId", staffId).put("name", name).put("role", role).put("pin", pin).toString();
  }

  static String signIn(String staffId, String pin) {
    return TestNode.JSON.createObjectNode().put("staffId", staffId).put("pin", pin).toString();
  }

  static NodeSettings settings(EmbeddedDatabase db, Path dataDir, int clusterPort, List<String> seeds) {
    return new NodeSettings(0, dataDir, db.jdbcUrl(), db.user(), "", "127.0.0.1", clusterPort, seeds, 0, true, TOKENS, 0);
  }

}
