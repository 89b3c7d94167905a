package io.orderengine.engine.bill;

import io.orderengine.engine.CborSerializable;

/** One order line as the checkout sees it: settlement data, priced at the moment it was ordered. */
public record BillLine(
    String lineId, String sku, String name, String stallId, int qty, long unitPriceMinor, long amountMinor)
    implements CborSerializable {}
