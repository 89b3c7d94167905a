package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;

/**
 * A heading of the menu. Dishes name their category by id in {@link MenuItem#category()}; a
 * category only gives that id a name and a place ({@code sort}, lowest first) on the menu, so a dish
 * whose category has none is still sold, listed after the named ones.
 */
public record Category(String categoryId, String name, String nameEn, int sort) implements CborSerializable {}
