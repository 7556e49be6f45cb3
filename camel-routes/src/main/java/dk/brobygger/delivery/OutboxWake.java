package dk.brobygger.delivery;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the outbox now, on its own thread, without making the caller wait. Requests coalesce: a
 * burst of wake-ups while one poll is pending runs one poll, and a wake-up that arrives while a
 * poll runs schedules one more, so a row accepted during a poll is never left for the next tick.
 */
final class OutboxWake {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxWake.class);

  private final AtomicBoolean pending = new AtomicBoolean();
  private final ExecutorService thread;
  private final ProducerTemplate template;
  private final String endpoint;

  /**
   * @param thread a single-thread executor, so wake-up polls never overlap one another
   * @param endpoint the route that polls
   */
  OutboxWake(ExecutorService thread, ProducerTemplate template, String endpoint) {
    this.thread = thread;
    this.template = template;
    this.endpoint = endpoint;
  }

  void request() {
    if (!pending.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(this::poll);
    } catch (RejectedExecutionException stopping) {
      // Delivery is shutting down; the rows wait in the outbox for the next start.
      pending.set(false);
    }
  }

  private void poll() {
    // Cleared before polling: a request arriving from now on must cause another poll.
    pending.set(false);
    try {
      template.sendBody(endpoint, null);
    } catch (RuntimeException e) {
      LOG.warn("outbox poll on wake-up failed", e);
    }
  }
}
