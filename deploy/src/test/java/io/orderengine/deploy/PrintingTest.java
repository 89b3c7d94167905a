package io.orderengine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Printing on a whole demo node: a TCP listener on 127.0.0.1 stands for each printer (the wok's and
 * the till's) and decodes what it receives. A fired order's ticket arrives in GB18030 with a cut, a
 * reprint arrives marked, a cash payment prints a receipt, and a printer that was off gets its
 * tickets afterwards, in order and once each, while GET printers shows it unreachable with its queue.
 */
class PrintingTest {
  static final Charset GB18030 = Charset.forName("GB18030");
  static final String MANAGER = "demo-manager";
  /** Printers are the owner's to set up (shared/API.md); the demo has no owner, API_TOKENS gives one. */
  static final String OWNER = "own-main-7:owner:Boss:main";
  static final String OWNER_TOKEN = "own-main-7";
  static final String WAITER = "demo-waiter";
  static final String CASHIER = "demo-cashier";

  @Test
  void ticketsReprintsAndReceiptsPrintAndAPrinterThatWasOffGetsItsJobsInOrderOnce(@TempDir Path dataDir) throws Exception {
    try (TestNode node = TestNode.start(dataDir, OWNER); FakePrinter wok = new FakePrinter(0); FakePrinter till = new FakePrinter(0)) {
      assertThat(node.put("/api/v1/printers/WOK1", OWNER_TOKEN, printer(wok.port, "[\"WOK\"]", false, 80)).status()).isEqualTo(200);
      assertThat(node.put("/api/v1/printers/TILL", OWNER_TOKEN, printer(till.port, "[]", true, 58)).status()).isEqualTo(200);
      // a waiter or a manager may read the printers but not set them up; a station nobody has is refused
      assertThat(node.put("/api/v1/printers/X", MANAGER, printer(9100, "[\"WOK\"]", false, 80)).status()).isEqualTo(403);
      assertThat(node.put("/api/v1/printers/X", WAITER, printer(9100, "[\"WOK\"]", false, 80)).status()).isEqualTo(403);
      TestNode.Answer unknown = node.put("/api/v1/printers/X", OWNER_TOKEN, printer(9100, "[\"NOPE\"]", false, 80));
      assertThat(unknown.status()).isEqualTo(409);
      assertThat(unknown.body().path("code").asText()).isEqualTo("UNKNOWN_STATION");
      assertThat(node.put("/api/v1/printers/X", OWNER_TOKEN, printer(9100, "[\"WOK\"]", false, 76)).status()).isEqualTo(400);
      assertThat(node.put("/api/v1/printers/X", OWNER_TOKEN, printer(70000, "[\"WOK\"]", false, 80)).status()).isEqualTo(400);

      // fire an order: the wok's ticket arrives with the dish's name in GB18030 and a cut at the end
      assertThat(node.post("/api/v1/tables/T01/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
      assertThat(node.post("/api/v1/tables/T01/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":2,\"note\":\"不辣\"}]}")
          .status()).isEqualTo(200);
      TestNode.Answer fired = node.post("/api/v1/tables/T01/fire", WAITER, "{}");
      assertThat(fired.status()).isEqualTo(200);
      byte[] ticket = wok.next();
      String text = new String(ticket, GB18030);
      assertThat(text).contains("宫保鸡丁").contains("不辣").contains("T01").doesNotContain("重印");
      assertThat(indexOf(ticket, "宫保鸡丁".getBytes(GB18030))).isPositive();
      assertThat(ticket).startsWith(new byte[] {0x1B, '@'}).endsWith(new byte[] {0x1D, 'V', 1});

      // a reprint arrives again, marked
      // (the ticket's id from the fire's answer: the kitchen board is a projection of its own, maybe not there yet)
      String ticketId = fired.body().path("tickets").get(0).path("ticketId").asText();
      assertThat(node.post("/api/v1/kitchen/tickets/" + ticketId + "/reprint", WAITER, "{}").status()).isEqualTo(200);
      String reprint = new String(wok.next(), GB18030);
      assertThat(reprint).contains("重印 REPRINT").contains("宫保鸡丁");

      // paid in cash: the receipt at the till, with the tender and the change
      String billId = node.post("/api/v1/tables/T01/bill", WAITER, "{}").body().path("bills").get(0).path("billId").asText();
      assertThat(node.post("/api/v1/bills/" + billId + "/payments", CASHIER,
          "{\"method\":\"CASH\",\"amountMinor\":7600,\"tenderedMinor\":10000}").status()).isEqualTo(201);
      String receipt = new String(till.next(), GB18030);
      assertThat(receipt).contains("小票 RECEIPT").contains("宫保鸡丁 x2").contains("76.00").contains("100.00")
          .contains("24.00").contains("现金").contains("T01");
      assertThat(wok.received()).isEmpty(); // the wok printer prints no receipt

      // the wok printer goes off; two tickets fire meanwhile
      wok.stop();
      assertThat(node.post("/api/v1/tables/T02/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
      node.post("/api/v1/tables/T02/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":1}]}");
      assertThat(node.post("/api/v1/tables/T02/fire", WAITER, "{}").status()).isEqualTo(200);
      assertThat(node.post("/api/v1/tables/T03/open", WAITER, "{\"partySize\":2}").status()).isEqualTo(201);
      node.post("/api/v1/tables/T03/items", WAITER, "{\"items\":[{\"sku\":\"SC01\",\"qty\":3}]}");
      assertThat(node.post("/api/v1/tables/T03/fire", WAITER, "{}").status()).isEqualTo(200);

      JsonNode down = await(node, p -> p.path("state").asText().equals("UNREACHABLE") && p.path("waiting").asInt() == 2);
      assertThat(down.path("lastError").asText()).isNotBlank();
      assertThat(down.path("since").asText()).isNotBlank();
      JsonNode queue = down.path("queue");
      assertThat(queue.get(0).path("subject").asText()).startsWith("T02-");
      assertThat(queue.get(1).path("subject").asText()).startsWith("T03-");
      assertThat(queue.get(0).path("kind").asText()).isEqualTo("TICKET");
      assertThat(queue.get(0).path("attempts").asInt()).isPositive();
      assertThat(queue.get(0).path("stuck").asBoolean()).isFalse();

      // back on: both arrive, in the order they were fired, once each
      wok.start();
      String first = new String(wok.next(), GB18030);
      String second = new String(wok.next(), GB18030);
      assertThat(first).contains("T02").doesNotContain("T03");
      assertThat(second).contains("T03").doesNotContain("T02");
      await(node, p -> p.path("state").asText().equals("OK") && p.path("waiting").asInt() == 0);
      Thread.sleep(1500);
      assertThat(wok.received()).isEmpty();

      // a printer with nothing waiting may go
      assertThat(node.delete("/api/v1/printers/TILL", OWNER_TOKEN).status()).isEqualTo(200);
      assertThat(node.get("/api/v1/printers", WAITER).body().path("printers")).hasSize(1);
    }
  }

  static String printer(int port, String stations, boolean receipts, int width) {
    return "{\"host\":\"127.0.0.1\",\"port\":" + port + ",\"stations\":" + stations + ",\"receipts\":" + receipts
        + ",\"paperWidthMm\":" + width + "}";
  }

  static JsonNode await(TestNode node, java.util.function.Predicate<JsonNode> wokPrinter) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      for (JsonNode p : node.get("/api/v1/printers", MANAGER).body().path("printers")) {
        if (p.path("printerId").asText().equals("WOK1")) {
          last = p;
          if (wokPrinter.test(p)) return p;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the wok printer never came to that state: " + last);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** A network printer on 127.0.0.1: each connection is one job, kept whole. It may be turned off and on again. */
  static final class FakePrinter implements AutoCloseable {
    final LinkedBlockingQueue<byte[]> jobs = new LinkedBlockingQueue<>();
    int port;
    private volatile ServerSocket server;

    FakePrinter(int port) throws IOException {
      this.port = port;
      start();
    }

    void start() throws IOException {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      port = s.getLocalPort();
      server = s;
      Thread t = new Thread(() -> {
        while (!s.isClosed()) {
          try (Socket c = s.accept(); InputStream in = c.getInputStream()) {
            ByteArrayOutputStream job = new ByteArrayOutputStream();
            in.transferTo(job);
            jobs.add(job.toByteArray());
          } catch (IOException e) {
            // closed
          }
        }
      }, "fake-printer-" + port);
      t.setDaemon(true);
      t.start();
    }

    void stop() throws IOException {
      server.close();
    }

    byte[] next() throws InterruptedException {
      byte[] job = jobs.poll(30, TimeUnit.SECONDS);
      if (job == null) throw new AssertionError("nothing printed at port " + port);
      return job;
    }

    List<byte[]> received() {
      List<byte[]> all = new ArrayList<>();
      jobs.drainTo(all);
      return all;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
