package io.orderengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RejectedTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void a_refusal_crosses_nodes_with_its_code_detail_and_extras() {
    Rejected refusal = new Rejected(Rejection.OUT_OF_STOCK, "not enough SC01 left", Map.of("sku", "SC01", "available", 2));

    Rejected back = (Rejected) roundTrip(refusal);

    assertThat(back.code()).isEqualTo(Rejection.OUT_OF_STOCK);
    assertThat(back.detail()).isEqualTo("not enough SC01 left");
    assertThat(back.extras()).containsEntry("sku", "SC01").containsEntry("available", 2);
  }

  @Test
  void a_refusal_inside_a_status_reply_comes_back_as_itself() {
    StatusReply<Object> reply = new Rejected(Rejection.BILL_SETTLED, "bill B1 is already paid\nfor good").toReply();

    StatusReply<?> back = (StatusReply<?>) roundTrip(reply);

    assertThat(back.isError()).isTrue();
    assertThat(back.getError()).isInstanceOf(Rejected.class);
    assertThat(((Rejected) back.getError()).code()).isEqualTo(Rejection.BILL_SETTLED);
    assertThat(((Rejected) back.getError()).detail()).isEqualTo("bill B1 is already paid\nfor good");
  }

  @Test
  void unwrap_takes_the_futures_wrappers_off() {
    Rejected refusal = new Rejected(Rejection.UNBILLED_LINES, "lines [l1] are not on any bill yet");

    assertThat(Rejected.unwrap(new CompletionException(new ExecutionException(refusal)))).isSameAs(refusal);
  }

  @Test
  void unwrap_leaves_other_failures_as_they_are() {
    StatusReply<Object> text = StatusReply.error("BILL_SETTLED: looks like a code but is only text");
    IllegalStateException other = new IllegalStateException("boom");

    assertThat(Rejected.unwrap(text.getError())).isSameAs(text.getError());
    assertThat(Rejected.unwrap(new CompletionException(other))).isSameAs(other);
  }

  private static Object roundTrip(Object message) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    var serializer = serialization.findSerializerFor(message);
    byte[] bytes = serializer.toBinary(message);
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }
}
