package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;

/** A vendor in the food court; the venue settles with each stall at the given commission. */
public record Stall(String stallId, String name, String nameEn, int commissionPercent) implements CborSerializable {}
