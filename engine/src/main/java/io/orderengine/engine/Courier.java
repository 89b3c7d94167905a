package io.orderengine.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The one way an entity tells another something until that one acknowledges it.
 *
 * <p>What is owed is part of the sender's event-sourced state (a bill to hand over, an outcome to
 * report), so it survives a crash: after every change and on recovery the entity gives the courier
 * everything it still owes. The courier sends what is not already on its way, and hands each answer
 * back to the entity as a {@link Report}: {@link Delivered} (the entity persists that it is done),
 * {@link Refused} (the receiver said no, for good), or {@link Failed}, after which one timer sends
 * everything still owed again. Receivers apply a message once, keyed by what it is about, so a
 * message sent twice does no harm. An entity reads its reports with {@link #handle}: it gives its
 * two decisions, on an answer and on a refusal, and what it does while a message is not through.
 *
 * @param <C> the entity's command type, which wraps the reports
 * @param <M> what the entity owes, as data of its state
 */
public final class Courier<C, M> {

  /** What became of one message; a command of the entity that sent it, never of another. */
  public sealed interface Report {}

  public record Delivered(String key, Object answer) implements Report {}

  public record Refused(String key, Rejected refusal) implements Report {}

  public record Failed(String key, Throwable cause) implements Report {}

  /** The timer: send everything still owed. */
  public record Resend() implements Report {}

  private static final String TIMER = "courier-resend";

  private final ActorContext<C> ctx;
  private final TimerScheduler<C> timers;
  private final Function<Report, C> wrap;
  private final Function<M, String> key;
  private final Function<M, CompletionStage<?>> send;
  private final Duration resendAfter;
  private final Set<String> inFlight = new HashSet<>();

  /**
   * @param key names a message: two messages of one key are the same message
   * @param send sends one message and completes with the receiver's answer (an ask with its own timeout)
   */
  public Courier(ActorContext<C> ctx, TimerScheduler<C> timers, Function<Report, C> wrap, Function<M, String> key,
      Function<M, CompletionStage<?>> send, Duration resendAfter) {
    this.ctx = ctx;
    this.timers = timers;
    this.wrap = wrap;
    this.key = key;
    this.send = send;
    this.resendAfter = resendAfter;
  }

  /** Sends each owed message that is not already on its way. */
  public void deliver(Collection<? extends M> owed) {
    for (M message : owed) {
      String k = key.apply(message);
      if (!inFlight.add(k)) continue;
      CompletionStage<?> sent;
      try {
        sent = send.apply(message);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      ctx.pipeToSelf(sent, (answer, failure) -> wrap.apply(report(k, answer, failure)));
    }
  }

  /** Takes a report back from the entity's mailbox; a failure arms the one resend timer. */
  public void received(Report report) {
    if (report instanceof Delivered d) inFlight.remove(d.key());
    else if (report instanceof Refused r) inFlight.remove(r.key());
    else if (report instanceof Failed f) {
      inFlight.remove(f.key());
      ctx.getLog().debug("{}: {} not delivered, sent again in {}: {}", ctx.getSelf().path().name(), f.key(), resendAfter,
          f.cause().toString());
      if (!timers.isTimerActive(TIMER)) timers.startSingleTimer(TIMER, wrap.apply(new Resend()), resendAfter);
    }
  }

  /**
   * Takes a report back from the entity's mailbox (as {@link #received}) and hands it on: the
   * timer's {@link Resend} sends what {@code owed} gives again; a {@link Failed} send goes to
   * {@code onFailed} with its key (it is sent again by itself); the receiver's answer goes to
   * {@code onDelivered} or its refusal to {@code onRefused}, with the key, and what they make of it
   * (what the entity persists) is returned. A resend or a failure returns nothing.
   */
  public <R> Optional<R> handle(Report report, Supplier<? extends Collection<? extends M>> owed, Consumer<String> onFailed,
      BiFunction<String, Object, R> onDelivered, BiFunction<String, Rejected, R> onRefused) {
    received(report);
    if (report instanceof Resend) {
      deliver(owed.get());
      return Optional.empty();
    }
    if (report instanceof Failed f) {
      onFailed.accept(f.key());
      return Optional.empty();
    }
    if (report instanceof Delivered d) return Optional.of(onDelivered.apply(d.key(), d.answer()));
    Refused r = (Refused) report;
    return Optional.of(onRefused.apply(r.key(), r.refusal()));
  }

  private static Report report(String key, Object answer, Throwable failure) {
    if (failure == null) return new Delivered(key, answer);
    Throwable t = Rejected.unwrap(failure);
    return t instanceof Rejected r ? new Refused(key, r) : new Failed(key, t);
  }
}
