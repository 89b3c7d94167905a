package io.orderengine.engine;

import java.util.List;
import java.util.Map;

/**
 * What an entity's pure core decides about a command: the events to persist (none when the
 * command was already applied), or a refusal with its code. Decisions are values; nothing throws.
 */
public sealed interface Decision<E> {

  record Accepted<E>(List<E> events) implements Decision<E> {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  record Refused<E>(Rejection code, String detail, Map<String, Object> extras) implements Decision<E> {
    public Refused {
      extras = Map.copyOf(extras);
    }

    public Rejected rejected() {
      return new Rejected(code, detail, extras);
    }
  }

  static <E> Decision<E> accept(List<? extends E> events) {
    return new Accepted<>(List.copyOf(events));
  }

  @SafeVarargs
  static <E> Decision<E> accept(E... events) {
    return new Accepted<>(List.of(events));
  }

  /** Nothing to do: the command was applied before (a retry), or changes nothing. */
  static <E> Decision<E> none() {
    return new Accepted<>(List.of());
  }

  static <E> Decision<E> refuse(Rejection code, String detail) {
    return new Refused<>(code, detail, Map.of());
  }

  static <E> Decision<E> refuse(Rejection code, String detail, Map<String, Object> extras) {
    return new Refused<>(code, detail, extras);
  }

  default boolean accepted() {
    return this instanceof Accepted;
  }

  /** The events, or the refusal thrown as {@link Rejected}: for tests and for composing decisions. */
  default List<E> orThrow() {
    if (this instanceof Refused<E> r) throw r.rejected();
    return ((Accepted<E>) this).events();
  }
}
