package io.orderengine.http.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who may do what. Managers, owners and the admin are left out of these sets: a manager may do
 * everything but what only {@link #OWNER} allows, an owner and the admin everything ({@link
 * Principal#mayActAs}). Where a set holds the diner, the route also checks that the table
 * concerned is the diner's own.
 */
public final class Roles {
  private Roles() {}

  public static final Set<Role> ANYONE = EnumSet.allOf(Role.class);
  public static final Set<Role> READERS_AND_DINER = EnumSet.of(Role.WAITER, Role.CASHIER, Role.KITCHEN, Role.ANALYST, Role.DINER);
  public static final Set<Role> FLOOR_AND_DINER = EnumSet.of(Role.WAITER, Role.CASHIER, Role.DINER);
  public static final Set<Role> FLOOR = EnumSet.of(Role.WAITER, Role.CASHIER);
  public static final Set<Role> FLOOR_AND_KITCHEN = EnumSet.of(Role.WAITER, Role.CASHIER, Role.KITCHEN);
  public static final Set<Role> READERS = EnumSet.of(Role.WAITER, Role.CASHIER, Role.KITCHEN, Role.ANALYST);
  public static final Set<Role> CASHIER = EnumSet.of(Role.CASHIER);
  public static final Set<Role> MANAGER = EnumSet.noneOf(Role.class);
  public static final Set<Role> ANALYST = EnumSet.of(Role.ANALYST);
  /** The venue's owner (and the admin) only: staff, payment providers, printers. */
  public static final Set<Role> OWNER = EnumSet.of(Role.OWNER);
  /** The platform operator only: venues are created and listed by the admin. */
  public static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
}
