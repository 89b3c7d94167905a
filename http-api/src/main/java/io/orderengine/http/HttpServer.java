package io.orderengine.http;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/** Binds the API to its port and unbinds it, draining requests, when the node shuts down. */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, String host, int port, Route route) {
    return Http.get(system)
        .newServerAt(host, port)
        // the connection's address, for slowing down one source guessing PINs (SignInThrottle)
        .adaptSettings(settings -> settings.withRemoteAddressAttribute(true))
        .bind(route)
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system));
  }
}
