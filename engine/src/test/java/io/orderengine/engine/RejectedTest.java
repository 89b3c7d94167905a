package io.orderengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

class RejectedTest {

  @Test
  void a_rejection_travels_as_code_and_detail() {
    StatusReply<Object> reply = new Rejected(Rejection.BILL_SETTLED, "bill B1 is already paid").toReply();

    assertThat(reply.isError()).isTrue();
    assertThat(reply.getError().getMessage()).isEqualTo("BILL_SETTLED: bill B1 is already paid");
  }

  @Test
  void unwrap_turns_a_failed_ask_back_into_the_rejection() {
    StatusReply<Object> reply = Rejected.reply(Rejection.UNBILLED_LINES, "lines [l1]\nare not on any bill yet");
    Throwable failure = new CompletionException(new ExecutionException(reply.getError()));

    Throwable unwrapped = Rejected.unwrap(failure);

    assertThat(unwrapped).isInstanceOf(Rejected.class);
    assertThat(((Rejected) unwrapped).code()).isEqualTo(Rejection.UNBILLED_LINES);
    assertThat(((Rejected) unwrapped).detail()).isEqualTo("lines [l1]\nare not on any bill yet");
  }

  @Test
  void unwrap_leaves_other_failures_as_they_are() {
    StatusReply<Object> unknownCode = StatusReply.error("NO_SUCH_CODE: whatever");
    StatusReply<Object> noCode = StatusReply.error("something broke");
    IllegalStateException other = new IllegalStateException("boom");

    assertThat(Rejected.unwrap(unknownCode.getError())).isSameAs(unknownCode.getError());
    assertThat(Rejected.unwrap(noCode.getError())).isSameAs(noCode.getError());
    assertThat(Rejected.unwrap(new CompletionException(other))).isSameAs(other);
  }
}
