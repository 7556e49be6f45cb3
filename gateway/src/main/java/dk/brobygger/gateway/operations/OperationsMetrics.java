package dk.brobygger.gateway.operations;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The gateway's one meter registry, in Prometheus form, with the libraries' own binders: the JVM's,
 * Vert.x's (HTTP requests by route, method and status) and HikariCP's (the connection pool).
 */
public final class OperationsMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile Optional<Supplier<Optional<Duration>>> witnessLag = Optional.empty();

  private OperationsMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static OperationsMetrics create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // latencies as histograms, so that dashboards can aggregate quantiles over instances
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        boolean latency = id.getName().equals("vertx.http.server.response.time")
            || id.getName().startsWith("brobygger.delivery.");
        return latency ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config) : config;
      }
    });
    OperationsMetrics metrics = new OperationsMetrics(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    metrics.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    return metrics;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A Vert.x that reports its HTTP server (requests by route, method and status; latencies) here. */
  public Vertx newVertx() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  /** HikariCP's own binder: connections active, idle, pending, and the time to get one. */
  public void bindPool(DataSource dataSource) {
    if (dataSource instanceof HikariDataSource pool) {
      pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }
  }

  /**
   * The audit log's witness lag: how long the newest checkpoint has waited for the witness policy's
   * quorum of cosignatures (empty once it has it), as gauge {@code brobygger.audit.witness.lag} in
   * seconds (0 when cosigned) and as a readiness detail. Only with a witness policy.
   */
  public void bindWitnessLag(Supplier<Optional<Duration>> waitingForQuorum) {
    Gauge.builder("brobygger.audit.witness.lag", waitingForQuorum,
            waiting -> waiting.get().map(d -> d.toMillis() / 1000.0).orElse(0.0))
        .baseUnit("seconds")
        .description("how long the newest audit checkpoint has waited for its witnesses' quorum (0: cosigned)")
        .register(registry);
    witnessLag = Optional.of(waitingForQuorum);
  }

  /** The witness lag's source, if a witness policy is configured. */
  public Optional<Supplier<Optional<Duration>>> witnessLag() {
    return witnessLag;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
