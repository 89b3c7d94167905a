package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;

/**
 * A table of the floor plan: where it stands ({@code area}, e.g. 大厅 or terrace; null when not said)
 * and how many it seats (0 when not said: tables laid out before tables had seats).
 */
public record FloorTable(String tableId, String area, int seats) implements CborSerializable {}
