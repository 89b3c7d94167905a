package io.orderengine.engine;

import java.util.regex.Pattern;

/**
 * How one cluster keeps many venues apart. Two venues may both have a table {@code A1} and a
 * member {@code M001}; their entities are told apart by the venue in the entity's id:
 * {@code V1.A1}. Every id the server makes (order, bill, payment, refund, ticket) is derived from
 * such a qualified table id, so it carries its venue too, and {@link #venueOf} reads the venue back
 * from any of them: a projection, a callback or a route never needs a second lookup.
 *
 * <p>Ids callers choose are {@code [A-Za-z0-9_-]}, so the dot cannot occur in them. The venue
 * {@value #DEFAULT} keeps bare ids: it is the one venue every node served before venues existed,
 * and its journal (ids without a dot) belongs to it unchanged.
 */
public final class VenueIds {
  private VenueIds() {}

  /** The venue of every id without a venue part: what a node served before it served many. */
  public static final String DEFAULT = "main";

  public static final char SEPARATOR = '.';

  /** What a venue id may be: a caller-chosen id, the same alphabet as tables and dishes. */
  public static final Pattern VENUE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  /** The cluster-wide id of a venue's {@code local} thing (a table, a member, a shift). */
  public static String qualify(String venueId, String local) {
    return venueId.equals(DEFAULT) ? local : venueId + SEPARATOR + local;
  }

  /** The venue an id (a qualified table id, or any id the server derived from one) belongs to. */
  public static String venueOf(String id) {
    int dot = id.indexOf(SEPARATOR);
    return dot < 0 ? DEFAULT : id.substring(0, dot);
  }

  /** The part of an id its venue knows it by: {@code A1} for {@code V1.A1}. */
  public static String localOf(String id) {
    int dot = id.indexOf(SEPARATOR);
    return dot < 0 ? id : id.substring(dot + 1);
  }

  /** Whether {@code id} belongs to {@code venueId}; an id of another venue is as good as unknown. */
  public static boolean belongsTo(String id, String venueId) {
    return venueOf(id).equals(venueId);
  }
}
