package io.orderengine.http.auth;

import io.orderengine.engine.VenueIds;
import io.orderengine.http.problems.Forbidden;
import java.util.Set;

/**
 * An authenticated caller: a name for the books, a role for what it may do, and the venue it acts
 * at. A token names the caller's own venue ({@code venue} null for the admin, who belongs to none);
 * once a request is let through, {@code venue} is the venue the request acts on ({@link #at}). A
 * diner's principal is bound to the one table whose QR code it came from ({@code table} is null for
 * staff). {@code staffId} names the member of staff who signed in with a PIN, null for a token.
 */
public record Principal(String name, Role role, String table, String venue, String staffId) {

  public Principal(String name, Role role, String venue) {
    this(name, role, null, venue, null);
  }

  static Principal diner(String venueId, String tableId) {
    return new Principal("diner@" + tableId, Role.DINER, tableId, venueId, null);
  }

  /** The same caller acting at {@code venueId}. */
  public Principal at(String venueId) {
    return venueId.equals(venue) ? this : new Principal(name, role, table, venueId, staffId);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** The admin may act at every venue; everybody else at their own only. */
  public boolean mayEnter(String venueId) {
    return isAdmin() || venueId.equals(venue);
  }

  public boolean mayActAs(Set<Role> allowed) {
    return switch (role) {
      case ADMIN -> true;
      case OWNER -> !allowed.equals(Roles.ADMIN);
      case MANAGER -> !allowed.equals(Roles.ADMIN) && !allowed.equals(Roles.OWNER);
      default -> allowed.contains(role);
    };
  }

  /** A manager, the venue's owner or the admin: who may approve what others may not do alone. */
  public boolean isManagerOrAbove() {
    return role == Role.MANAGER || role == Role.OWNER || role == Role.ADMIN;
  }

  public boolean isDiner() {
    return role == Role.DINER;
  }

  /** Staff may touch every table; a diner only the table of their QR code (named locally or cluster-wide). */
  public void requireTable(String tableId) {
    if (table != null && !table.equals(VenueIds.localOf(tableId))) {
      throw new Forbidden("this table code is for table " + table + ", not " + tableId);
    }
  }
}
