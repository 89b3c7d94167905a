package io.orderengine.http;

import java.util.EnumSet;
import java.util.Set;

/** Who may do what; a manager may do everything and is left out of these sets. */
final class Roles {
  private Roles() {}

  static final Set<Role> ANYONE = EnumSet.allOf(Role.class);
  static final Set<Role> FLOOR = EnumSet.of(Role.WAITER, Role.CASHIER);
  static final Set<Role> FLOOR_AND_KITCHEN = EnumSet.of(Role.WAITER, Role.CASHIER, Role.KITCHEN);
  static final Set<Role> READERS = EnumSet.of(Role.WAITER, Role.CASHIER, Role.KITCHEN, Role.ANALYST);
  static final Set<Role> TAKE_PAYMENT = EnumSet.of(Role.WAITER, Role.CASHIER);
  static final Set<Role> CASHIER = EnumSet.of(Role.CASHIER);
  static final Set<Role> MANAGER = EnumSet.noneOf(Role.class);
  static final Set<Role> ANALYST = EnumSet.of(Role.ANALYST);
}
