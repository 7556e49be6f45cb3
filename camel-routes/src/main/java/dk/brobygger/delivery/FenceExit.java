package dk.brobygger.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the outcome is recorded, lets a waiting withdrawal go on (see {@link DisclosureFence#leave}).
 * A failure here only makes the withdrawal wait until the attempt's deadline; it is logged.
 */
final class FenceExit implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(FenceExit.class);

  private final DisclosureFence fence;

  FenceExit(DisclosureFence fence) {
    this.fence = fence;
  }

  @Override
  public void process(Exchange exchange) {
    AttemptState state = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class);
    if (state.outcome().isEmpty()) {
      return;
    }
    try {
      fence.leave(state.outcome().get());
    } catch (RuntimeException e) {
      LOG.warn("could not mark task {} attempt {} as ended; a withdrawal waits for it until its deadline",
          state.disclosure().taskId(), state.disclosure().attempt(), e);
    }
  }
}
