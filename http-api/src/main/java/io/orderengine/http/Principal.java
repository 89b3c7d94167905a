package io.orderengine.http;

/** An authenticated caller: a name for the books and a role for what it may do. */
public record Principal(String name, Role role) {
  public boolean mayActAs(java.util.Set<Role> allowed) {
    return role == Role.MANAGER || allowed.contains(role);
  }
}
