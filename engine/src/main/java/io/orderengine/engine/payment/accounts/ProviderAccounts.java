package io.orderengine.engine.payment.accounts;

import io.orderengine.engine.CborSerializable;
import io.orderengine.engine.DomainEntity;
import io.orderengine.engine.payment.Provider;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;

/**
 * A venue's merchant accounts at the payment providers, one entity per venue (named by the venue's
 * id): the owner connects WeChat Pay and Alipay here, and every node's payment sagas take money
 * through what it holds. Secrets arrive sealed ({@link SecretBox}); this entity never sees them in
 * the clear. The decisions are {@link ProviderAccountsState}'s.
 */
public final class ProviderAccounts
    extends DomainEntity<ProviderAccounts.Command, ProviderAccounts.Event, ProviderAccountsState> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "ProviderAccounts");
  public static final String TAG = "provider-accounts";

  // ---- protocol ----

  public sealed interface Command extends CborSerializable {}

  /** Connects (or reconnects) an account; the same account again changes nothing. */
  public record Put(ProviderAccount account, ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Disconnects a provider: payments by it are refused from then on; those under way go on to their end. */
  public record Remove(Provider provider, Instant at, String by, ActorRef<StatusReply<View>> replyTo) implements Command {}

  public record Get(ActorRef<View> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record AccountSet(ProviderAccount account) implements Event {}

  public record AccountRemoved(Provider provider, Instant at, String by) implements Event {}

  /** The venue's accounts, and a version that grows with every change (a node's connected gateways follow it). */
  public record View(List<ProviderAccount> accounts, long version) implements CborSerializable {
    public java.util.Optional<ProviderAccount> account(Provider provider) {
      return accounts.stream().filter(a -> a.provider() == provider).findFirst();
    }
  }

  // ---- shell ----

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> new ProviderAccounts(ctx.getEntityId())));
  }

  private ProviderAccounts(String venueId) {
    super(ENTITY_KEY, venueId, TAG);
  }

  @Override
  public ProviderAccountsState emptyState() {
    return ProviderAccountsState.empty();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ProviderAccountsState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Put.class, (s, c) -> decide(s.decidePut(c.account()), c.replyTo(), ProviderAccountsState::view))
        .onCommand(Remove.class, (s, c) -> decide(s.decideRemove(c.provider(), c.at(), c.by()), c.replyTo(),
            ProviderAccountsState::view))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.view()))
        .build();
  }
}
