package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;

/** One dish on the menu: who cooks it (station), who sells it (stall), what it costs. */
public record MenuItem(
    String sku,
    String name,
    String nameEn,
    String stallId,
    String stationId,
    String category,
    long priceMinor,
    boolean available)
    implements CborSerializable {}
