package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A production node (no demo) where a venue is opened from nothing: its owner connects a kitchen
 * printer at the venue's own paths, the admin a receipt printer by naming the venue, a cashier may
 * not; a fired dish prints, and the printers are still there after a restart.
 */
class ProductionPrintersTest {
  @TempDir
  Path dataDir;

  private NodeSettings production() throws Exception {
    return new NodeSettings(0, dataDir, null, null, null, "127.0.0.1", TestNode.freePort(), List.of(), 0, false,
        ProductionModeTest.ADMIN + ":admin:Platform", 0);
  }

  @Test
  void an_owner_connects_printers_to_a_venue_set_up_from_nothing_and_they_survive_a_restart() throws Exception {
    try (PrintingTest.FakePrinter kitchen = new PrintingTest.FakePrinter(0)) {
      try (TestNode node = TestNode.start(production())) {
        ProductionModeTest.Venue v1 = ProductionModeTest.openVenue(node, "V1", 3800);
        assertThat(node.put("/api/v1/printers/K1", v1.ownerToken(), PrintingTest.printer(kitchen.port, "[\"WOK\"]", false, 58))
            .status()).isEqualTo(200);
        assertThat(node.put("/api/v1/venues/V1/printers/R1", ProductionModeTest.ADMIN,
            PrintingTest.printer(9, "[]", true, 80)).status()).isEqualTo(200);
        assertThat(node.put("/api/v1/printers/R2", v1.cashierToken(), PrintingTest.printer(9, "[]", true, 80)).status())
            .isEqualTo(403);
        assertThat(node.put("/api/v1/venues/V2/printers/R1", v1.ownerToken(), PrintingTest.printer(9, "[]", true, 80)).status())
            .isEqualTo(403);
        // the same PUT again: the same answer, nothing changed
        assertThat(node.put("/api/v1/printers/K1", v1.ownerToken(), PrintingTest.printer(kitchen.port, "[\"WOK\"]", false, 58))
            .body().path("columns").asInt()).isEqualTo(32);

        ProductionModeTest.ok(node.post("/api/v1/tables/A1/open", v1.cashierToken(), "{\"partySize\":2}"), 201);
        ProductionModeTest.ok(node.post("/api/v1/tables/A1/items", v1.cashierToken(), "{\"items\":[{\"sku\":\"SC01\",\"qty\":1}]}"), 200);
        ProductionModeTest.ok(node.post("/api/v1/tables/A1/fire", v1.cashierToken(), "{}"), 200);
        assertThat(new String(kitchen.next(), Charset.forName("GB18030"))).contains("宫保鸡丁").contains("A1");
      }
      try (TestNode node = TestNode.start(production())) {
        var printers = node.get("/api/v1/venues/V1/printers", ProductionModeTest.ADMIN).body().path("printers");
        assertThat(printers).hasSize(2);
        assertThat(printers.get(0).path("printerId").asText()).isEqualTo("K1");
        assertThat(printers.get(0).path("stations").get(0).asText()).isEqualTo("WOK");
        assertThat(printers.get(1).path("receipts").asBoolean()).isTrue();

        // the printers travel with the venue's document: exported from V1, imported into V2
        var document = node.get("/api/v1/venues/V1/export", ProductionModeTest.ADMIN).body();
        assertThat(document.path("printers")).hasSize(2);
        ProductionModeTest.openVenue(node, "V2", 4200);
        assertThat(node.put("/api/v1/venues/V2/import", ProductionModeTest.ADMIN, document.toString()).status()).isEqualTo(200);
        assertThat(node.get("/api/v1/venues/V2/printers", ProductionModeTest.ADMIN).body().path("printers")).hasSize(2);
      }
    }
  }
}
