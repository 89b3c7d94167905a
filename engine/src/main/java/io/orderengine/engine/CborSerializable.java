package io.orderengine.engine;

/** Marker for every message, event and snapshot that crosses the wire or lands in the journal; bound to Jackson CBOR. */
public interface CborSerializable {}
