package io.orderengine.engine.table;

import io.orderengine.engine.CborSerializable;

/** A dish to add, already priced from the menu by the caller. */
public record NewLine(
    String sku, String name, String stallId, String stationId, int qty, long unitPriceMinor, String note)
    implements CborSerializable {}
