package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.table.DinerOrdering;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Optional;
import java.util.Set;

/**
 * How one venue runs: the clock its business day follows, the money it counts in, what a bill adds
 * (service charge) and forgives (抹零 cash rounding, in minor units: 0, 10 or 100), and how far a
 * cashier may discount alone, and what a diner's table code allows ({@link DinerOrdering}). A new venue starts from the node's settings ({@code order-engine.*});
 * each venue then keeps its own.
 */
public record Settings(
    String timeZone,
    String currency,
    int businessDayStartsAtHour,
    int serviceChargePercent,
    int cashRoundingMinor,
    int cashierMaxDiscountPercent,
    long cashierMaxDiscountMinor,
    DinerOrdering dinerOrdering)
    implements CborSerializable {

  /** A venue that never chose (its settings were written before the choice existed) has the safe one. */
  public Settings {
    if (dinerOrdering == null) dinerOrdering = DinerOrdering.STAFF_SEATED;
  }

  public Settings(String timeZone, String currency, int businessDayStartsAtHour, int serviceChargePercent,
      int cashRoundingMinor, int cashierMaxDiscountPercent, long cashierMaxDiscountMinor) {
    this(timeZone, currency, businessDayStartsAtHour, serviceChargePercent, cashRoundingMinor, cashierMaxDiscountPercent,
        cashierMaxDiscountMinor, null);
  }

  /** What a venue runs on when nobody said otherwise: the settings every node shipped with. */
  public static final Settings FALLBACK = new Settings("Asia/Shanghai", "CNY", 0, 0, 0, 20, 5000);

  /** The cash rounding rules: none, to the jiao (0.10), to the yuan (1.00). */
  public static final Set<Integer> CASH_ROUNDINGS = Set.of(0, 10, 100);

  /** The same settings in another time zone and currency: what a venue is created with. */
  public Settings in(String zone, String money) {
    return new Settings(zone, money, businessDayStartsAtHour, serviceChargePercent, cashRoundingMinor,
        cashierMaxDiscountPercent, cashierMaxDiscountMinor, dinerOrdering);
  }

  /** These settings with what {@code change} names changed; what it leaves null stays. */
  public Settings with(Change change) {
    return new Settings(
        or(change.timeZone(), timeZone),
        currency,
        or(change.businessDayStartsAtHour(), businessDayStartsAtHour),
        or(change.serviceChargePercent(), serviceChargePercent),
        or(change.cashRoundingMinor(), cashRoundingMinor),
        or(change.cashierMaxDiscountPercent(), cashierMaxDiscountPercent),
        or(change.cashierMaxDiscountMinor(), cashierMaxDiscountMinor),
        or(change.dinerOrdering(), dinerOrdering));
  }

  /** What is wrong with these settings, named by the field a caller sends; empty when nothing is. */
  public Optional<String> problem() {
    if (!validZone(timeZone)) return Optional.of("timeZone: unknown time zone '" + timeZone + "'");
    if (!validCurrency(currency)) {
      return Optional.of("currency: '" + currency + "' is not an ISO 4217 code of a currency counted in hundredths");
    }
    if (businessDayStartsAtHour < 0 || businessDayStartsAtHour > 23) {
      return Optional.of("businessDayStartsAtHour: must be 0..23");
    }
    if (serviceChargePercent < 0 || serviceChargePercent > 100) return Optional.of("serviceChargePercent: must be 0..100");
    if (!CASH_ROUNDINGS.contains(cashRoundingMinor)) return Optional.of("cashRounding: must be none, jiao or yuan");
    if (cashierMaxDiscountPercent < 0 || cashierMaxDiscountPercent > 100) {
      return Optional.of("cashierMaxDiscountPercent: must be 0..100");
    }
    if (cashierMaxDiscountMinor < 0) return Optional.of("cashierMaxDiscountMinor: must not be negative");
    return Optional.empty();
  }

  public static boolean validZone(String zone) {
    if (zone == null || zone.isBlank()) return false;
    try {
      ZoneId.of(zone);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /** Money is kept in minor units of one hundredth (fen, cents): a currency counted otherwise is refused. */
  public static boolean validCurrency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) return false;
    try {
      return Currency.getInstance(code).getDefaultFractionDigits() == 2;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A change of some settings: null leaves a setting as it is. The currency is chosen once, at creation. */
  public record Change(
      String timeZone,
      Integer businessDayStartsAtHour,
      Integer serviceChargePercent,
      Integer cashRoundingMinor,
      Integer cashierMaxDiscountPercent,
      Long cashierMaxDiscountMinor,
      DinerOrdering dinerOrdering)
      implements CborSerializable {

    public static final Change NONE = new Change(null, null, null, null, null, null, null);

    public Change(String timeZone, Integer businessDayStartsAtHour, Integer serviceChargePercent,
        Integer cashRoundingMinor, Integer cashierMaxDiscountPercent, Long cashierMaxDiscountMinor) {
      this(timeZone, businessDayStartsAtHour, serviceChargePercent, cashRoundingMinor, cashierMaxDiscountPercent,
          cashierMaxDiscountMinor, null);
    }
  }

  private static <T> T or(T value, T otherwise) {
    return value != null ? value : otherwise;
  }
}
