package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;

/** A kitchen station that receives tickets (wok, grill, drinks...). */
public record Station(String stationId, String name, String nameEn) implements CborSerializable {}
