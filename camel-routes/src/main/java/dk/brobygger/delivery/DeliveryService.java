package dk.brobygger.delivery;

import dk.brobygger.fhir.Failed;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.engine.ExplicitCamelContextNameStrategy;

/**
 * Runs the {@link DeliveryRoutes} in a CamelContext of their own: from start until close, the
 * outbox is polled and every due disclosure attempted.
 */
public final class DeliveryService implements AutoCloseable {

  /**
   * How long close() lets in-flight attempts finish. One cut off is not recorded; its lease
   * expires and it is attempted again, which recipients absorb through the idempotency key.
   */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private final CamelContext camel;
  private final DeliveryRoutes routes;

  private DeliveryService(CamelContext camel, DeliveryRoutes routes) {
    this.camel = camel;
    this.routes = routes;
  }

  public static DeliveryService start(
      DisclosureOutbox outbox,
      ConsentRecheck consent,
      DisclosureFence fence,
      Minimisation minimisation,
      Sealing sealing,
      DeliveryPolicy policy,
      Clock clock) {
    DeliveryRoutes routes = new DeliveryRoutes(outbox, consent, fence, minimisation, sealing, policy, clock);
    // Not built yet, so that the name below reaches the thread names in the logs.
    DefaultCamelContext camel = new DefaultCamelContext(false);
    camel.setNameStrategy(new ExplicitCamelContextNameStrategy("brobygger-delivery"));
    camel.getShutdownStrategy().setTimeout(SHUTDOWN_GRACE.toMillis());
    camel.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
    try {
      camel.addRoutes(routes);
      camel.start();
    } catch (Exception e) {
      camel.stop();
      throw new Failed("delivery could not start", e, false);
    }
    return new DeliveryService(camel, routes);
  }

  /** Polls the outbox now, e.g. right after a message was accepted; returns at once. */
  public void wakeUp() {
    routes.wakeUp();
  }

  /** Whether the delivery routes are running (readiness): the context and each of its routes started. */
  public boolean started() {
    return camel.isStarted() && !camel.getRoutes().isEmpty() && camel.getRoutes().stream()
        .allMatch(route -> camel.getRouteController().getRouteStatus(route.getId()).isStarted());
  }

  /** Stops polling and lets in-flight attempts finish within {@link #SHUTDOWN_GRACE}. */
  @Override
  public void close() {
    close(SHUTDOWN_GRACE);
  }

  /**
   * Stops polling and lets in-flight attempts finish within {@code grace}; the gateway's stop gives
   * delivery a share of its overall bound. An attempt cut off is not recorded (see {@link #SHUTDOWN_GRACE}).
   */
  public void close(Duration grace) {
    camel.getShutdownStrategy().setTimeout(Math.max(1, grace.toMillis()));
    camel.getShutdownStrategy().setTimeUnit(TimeUnit.MILLISECONDS);
    camel.stop();
  }
}
