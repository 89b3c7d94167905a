package io.orderengine.http;

import io.orderengine.engine.audit.AuditTrail;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** Where the API records who did what ({@link io.orderengine.engine.Engine#audit}); completes once it is stored. */
@FunctionalInterface
public interface AuditLog {
  CompletionStage<Done> record(AuditTrail.Entry entry, String target);
}
