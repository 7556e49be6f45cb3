package dk.brobygger.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link AttemptStage} on the exchange's {@link AttemptState}. A settled attempt passes
 * through untouched. An exception from the stage settles the attempt through {@link Retries}
 * instead of escaping into Camel's error handler: nothing has been sent yet, so failing closed is
 * always possible.
 */
final class StageProcessor implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(StageProcessor.class);

  private final String name;
  private final AttemptStage stage;
  private final Retries retries;

  StageProcessor(String name, AttemptStage stage, Retries retries) {
    this.name = name;
    this.stage = stage;
    this.retries = retries;
  }

  @Override
  public void process(Exchange exchange) {
    AttemptState state = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class);
    if (state.settled()) {
      return;
    }
    AttemptState next;
    try {
      next = stage.apply(state);
    } catch (RuntimeException e) {
      LOG.warn("{} failed for outbox row {} (task {}), nothing sent", name, state.disclosure().outboxId(),
          state.disclosure().taskId(), e);
      next = retries.afterOwnError(state, name, e);
    }
    exchange.setProperty(AttemptState.PROPERTY, next);
  }
}
