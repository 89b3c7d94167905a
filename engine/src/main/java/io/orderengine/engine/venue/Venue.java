package io.orderengine.engine.venue;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;

/**
 * The venue's master data: its profile and settings, stalls, kitchen stations, the floor plan, the
 * menu's categories and dishes. One entity per venue, named by the venue's id; it changes rarely and
 * is read on every order, so its state is small and snapshotted. The decisions are
 * {@link VenueState}'s.
 *
 * <p>A venue exists once it is {@link Created}; the one venue of older releases, laid out by the
 * demo's {@link Seeded} alone, exists as well.
 */
public final class Venue extends DomainEntity<Venue.Command, Venue.Event, VenueState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Venue");
  public static final String TAG = "venue";

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Creates the venue; the same creation again is answered as before, another one refused (VENUE_EXISTS). */
  public record Create(String name, String timeZone, String currency, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** {@code name} null keeps the venue's name. */
  public record ChangeSettings(String name, Settings.Change change, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  public record PutStall(Stall stall, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record RemoveStall(String stallId, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record PutStation(Station station, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record RemoveStation(String stationId, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record PutTable(FloorTable table, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Takes a table off the floor plan; whether it is free is the caller's to ask its table first. */
  public record RemoveTable(String tableId, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record PutCategory(Category category, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record RemoveCategory(String categoryId, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record UpsertItem(MenuItem item, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Takes a dish off the menu; orders and reports keep what they recorded of it. */
  public record RemoveItem(String sku, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Puts every entry of a document, all or nothing: one bad entry and nothing changes. */
  public record Import(VenueSetup setup, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Lays out an empty venue; a venue that already has a layout is left as it is. Older releases' demo. */
  /** Puts a printer, made or replaced; its stations must be the venue's. */
  public record PutPrinter(Printer printer, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Takes a printer away; whether jobs still wait for it is the caller's to ask the print queue first. */
  public record RemovePrinter(String printerId, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Seed(VenueLayout layout, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  /** What the demo of older releases wrote: a whole layout at once, tables without area or seats. */
  public record Seeded(VenueLayout layout) implements Event {}

  /** The venue came to be, with its name and its settings (time zone and currency among them). */
  public record Created(String name, Settings settings) implements Event {}

  public record SettingsChanged(String name, Settings settings) implements Event {}

  public record StallPut(Stall stall) implements Event {}

  public record StallRemoved(String stallId) implements Event {}

  public record StationPut(Station station) implements Event {}

  public record StationRemoved(String stationId) implements Event {}

  public record TablePut(FloorTable table) implements Event {}

  public record TableRemoved(String tableId) implements Event {}

  public record CategoryPut(Category category) implements Event {}

  public record CategoryRemoved(String categoryId) implements Event {}

  public record ItemUpserted(MenuItem item) implements Event {}

  public record ItemRemoved(String sku) implements Event {}

  public record PrinterPut(Printer printer) implements Event {}

  public record PrinterRemoved(String printerId) implements Event {}

  /**
   * An import: the entries it changed, in one event so it is all or nothing (what it left as it was
   * is not repeated). {@code name} and {@code settings} null: unchanged.
   */
  public record Imported(String name, Settings settings, List<Stall> stalls, List<Station> stations,
      List<FloorTable> tables, List<Category> categories, List<MenuItem> items, List<Printer> printers) implements Event {
    public Imported {
      printers = printers == null ? List.of() : List.copyOf(printers); // none in events of older releases
      stalls = List.copyOf(stalls);
      stations = List.copyOf(stations);
      tables = List.copyOf(tables);
      categories = List.copyOf(categories);
      items = List.copyOf(items);
    }

    public Imported(String name, Settings settings, List<Stall> stalls, List<Station> stations,
        List<FloorTable> tables, List<Category> categories, List<MenuItem> items) {
      this(name, settings, stalls, stations, tables, categories, items, List.of());
    }
  }

  /** What callers see; never the state itself. Each list is sorted (categories by their sort, then id). */
  public record View(
      boolean laidOut,
      String name,
      List<Stall> stalls,
      List<Station> stations,
      List<MenuItem> items,
      List<String> tableIds,
      boolean created,
      Settings settings,
      List<FloorTable> tables,
      List<Category> categories,
      List<Printer> printers)
      implements CborSerializable {

    public View {
      printers = printers == null ? List.of() : printers;
    }

    public Optional<Printer> printer(String printerId) {
      return printers.stream().filter(p -> p.printerId().equals(printerId)).findFirst();
    }

    /** Created, or laid out by an older release's demo. */
    public boolean exists() {
      return created || laidOut;
    }

    public Optional<MenuItem> item(String sku) {
      return items.stream().filter(i -> i.sku().equals(sku)).findFirst();
    }

    public boolean hasTable(String tableId) {
      return Collections.binarySearch(tableIds, tableId) >= 0; // the view lists them sorted
    }

    public Optional<FloorTable> table(String tableId) {
      int at = Collections.binarySearch(tableIds, tableId);
      return at >= 0 ? Optional.of(tables.get(at)) : Optional.empty();
    }
  }

  // ---- shell ----

  /** {@code defaults}: the node's settings, what a venue runs on until it is created with its own. */
  public static void init(ActorSystem<?> system, Settings defaults) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), defaults)));
  }

  public static Venue create(String venueId) {
    return create(venueId, Settings.FALLBACK);
  }

  public static Venue create(String venueId, Settings defaults) {
    return new Venue(venueId, defaults);
  }

  private final Settings defaults;

  private Venue(String venueId, Settings defaults) {
    super(ENTITY_KEY, venueId, TAG);
    this.defaults = defaults;
  }

  @Override
  public VenueState emptyState() {
    return VenueState.empty(defaults);
  }

  // the view of the latest state, built once per change rather than once per question
  private VenueState viewed;
  private View view;

  private View viewOf(VenueState state) {
    if (state != viewed) {
      view = state.view();
      viewed = state;
    }
    return view;
  }

  @Override
  public CommandHandlerWithReply<Command, Event, VenueState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, (s, c) -> decide(s.decideCreate(c.name(), c.timeZone(), c.currency()), c.replyTo(), this::viewOf))
        .onCommand(ChangeSettings.class, (s, c) -> decide(s.decideSettings(c.name(), c.change()), c.replyTo(), this::viewOf))
        .onCommand(PutStall.class, (s, c) -> decide(s.decidePutStall(c.stall()), c.replyTo(), this::viewOf))
        .onCommand(RemoveStall.class, (s, c) -> decide(s.decideRemoveStall(c.stallId()), c.replyTo(), this::viewOf))
        .onCommand(PutStation.class, (s, c) -> decide(s.decidePutStation(c.station()), c.replyTo(), this::viewOf))
        .onCommand(RemoveStation.class, (s, c) -> decide(s.decideRemoveStation(c.stationId()), c.replyTo(), this::viewOf))
        .onCommand(PutTable.class, (s, c) -> decide(s.decidePutTable(c.table()), c.replyTo(), this::viewOf))
        .onCommand(RemoveTable.class, (s, c) -> decide(s.decideRemoveTable(c.tableId()), c.replyTo(), this::viewOf))
        .onCommand(PutCategory.class, (s, c) -> decide(s.decidePutCategory(c.category()), c.replyTo(), this::viewOf))
        .onCommand(RemoveCategory.class, (s, c) -> decide(s.decideRemoveCategory(c.categoryId()), c.replyTo(), this::viewOf))
        .onCommand(UpsertItem.class, (s, c) -> decide(s.decideUpsert(c.item()), c.replyTo(), this::viewOf))
        .onCommand(RemoveItem.class, (s, c) -> decide(s.decideRemoveItem(c.sku()), c.replyTo(), this::viewOf))
        .onCommand(Import.class, (s, c) -> decide(s.decideImport(c.setup()), c.replyTo(), this::viewOf))
        .onCommand(PutPrinter.class, (s, c) -> decide(s.decidePutPrinter(c.printer()), c.replyTo(), this::viewOf))
        .onCommand(RemovePrinter.class, (s, c) -> decide(s.decideRemovePrinter(c.printerId()), c.replyTo(), this::viewOf))
        .onCommand(Seed.class, (s, c) -> decide(s.decideSeed(c.layout()), c.replyTo(), this::viewOf))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), viewOf(s)))
        .build();
  }
}
