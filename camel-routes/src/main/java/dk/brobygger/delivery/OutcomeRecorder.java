package dk.brobygger.delivery;

import dk.brobygger.delivery.AttemptOutcome.Result;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the settled attempt to the outbox. When recording fails the row stays leased; the lease
 * expires and the row is attempted again, which recipients absorb through the idempotency key. So
 * a failure here is logged and the batch moves on.
 */
final class OutcomeRecorder implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

  private final DisclosureOutbox outbox;

  OutcomeRecorder(DisclosureOutbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public void process(Exchange exchange) {
    AttemptState state = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class);
    AttemptOutcome outcome = state.outcome()
        .orElseThrow(() -> new IllegalStateException("attempt reached the recorder unsettled"));
    Disclosure disclosure = outcome.disclosure();
    try {
      outbox.record(outcome);
    } catch (RuntimeException e) {
      LOG.error("could not record {} for outbox row {} (task {}, attempt {}); it is retried when its lease expires",
          outcome.result(), disclosure.outboxId(), disclosure.taskId(), disclosure.attempt(), e);
      return;
    }
    if (outcome.result() == Result.DELIVERED) {
      LOG.debug("task {} attempt {}: {} ({})", disclosure.taskId(), disclosure.attempt(), outcome.result(), outcome.reason());
    } else {
      LOG.info("task {} attempt {}: {} ({})", disclosure.taskId(), disclosure.attempt(), outcome.result(), outcome.reason());
    }
  }
}
