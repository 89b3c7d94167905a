package io.orderengine.http.auth;

import io.orderengine.http.problems.Forbidden;
import java.util.Set;

/**
 * An authenticated caller: a name for the books and a role for what it may do. A diner's
 * principal is bound to the one table whose QR code it came from ({@code table} is null for staff).
 */
public record Principal(String name, Role role, String table) {
  public Principal(String name, Role role) {
    this(name, role, null);
  }

  static Principal diner(String tableId) {
    return new Principal("diner@" + tableId, Role.DINER, tableId);
  }

  public boolean mayActAs(Set<Role> allowed) {
    return role == Role.MANAGER || allowed.contains(role);
  }

  public boolean isDiner() {
    return role == Role.DINER;
  }

  /** Staff may touch every table; a diner only the table of their QR code. */
  public void requireTable(String tableId) {
    if (table != null && !table.equals(tableId)) {
      throw new Forbidden("this table code is for table " + table + ", not " + tableId);
    }
  }
}
