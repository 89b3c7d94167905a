package io.orderengine.http.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Sign-ins that went wrong, per client address, on this node only and in memory: after
 * {@code freeFailures} in a row from one address, the next waits a back-off that doubles with each
 * further one up to {@code maxBackoff}; an address quiet for {@code forgetAfter} starts afresh. At most
 * {@code maxAddresses} are remembered, the least recently seen forgotten first. This only slows down
 * one source guessing many staff ids; each member's own count is cluster-wide, in their venue's
 * staff entity. The address is the connection's: behind a proxy every client shares the proxy's,
 * which is why the free failures here are more than a member's.
 */
public final class SignInThrottle {
  private record Failures(int count, long lastNanos) {}

  private final int freeFailures;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Duration forgetAfter;
  private final LongSupplier nanoTime;
  private final LinkedHashMap<String, Failures> byAddress;

  public SignInThrottle(int freeFailures, Duration firstBackoff, Duration maxBackoff, Duration forgetAfter,
      int maxAddresses, LongSupplier nanoTime) {
    this.freeFailures = freeFailures;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.forgetAfter = forgetAfter;
    this.nanoTime = nanoTime;
    this.byAddress = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
        return size() > maxAddresses;
      }
    };
  }

  /** Ten free failures per address, then 30 s doubling up to 5 min; forgotten after 15 quiet minutes. */
  public static SignInThrottle standard() {
    return new SignInThrottle(10, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15), 10_000,
        System::nanoTime);
  }

  /** How long {@code address} must still wait, if it must. */
  public synchronized Optional<Duration> wait(String address) {
    Failures f = current(address);
    if (f == null || f.count() < freeFailures) return Optional.empty();
    long doublings = Math.min(f.count() - freeFailures, 20);
    Duration backoff = firstBackoff.multipliedBy(1L << doublings);
    if (backoff.compareTo(maxBackoff) > 0) backoff = maxBackoff;
    long left = f.lastNanos() + backoff.toNanos() - nanoTime.getAsLong();
    return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
  }

  public synchronized void failed(String address) {
    Failures f = current(address);
    byAddress.put(address, new Failures(f == null ? 1 : f.count() + 1, nanoTime.getAsLong()));
  }

  private Failures current(String address) {
    Failures f = byAddress.get(address);
    if (f != null && nanoTime.getAsLong() - f.lastNanos() > forgetAfter.toNanos()) {
      byAddress.remove(address);
      return null;
    }
    return f;
  }
}
