package dk.brobygger.delivery;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases the next batch of due disclosures into the exchange body. An outbox that cannot be read
 * yields an empty batch: the next poll tries again, and nothing is sent meanwhile.
 */
final class OutboxClaim implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxClaim.class);

  private final DisclosureOutbox outbox;
  private final int batchSize;

  OutboxClaim(DisclosureOutbox outbox, int batchSize) {
    this.outbox = outbox;
    this.batchSize = batchSize;
  }

  @Override
  public void process(Exchange exchange) {
    List<Disclosure> batch;
    try {
      batch = List.copyOf(outbox.claim(batchSize));
    } catch (RuntimeException e) {
      LOG.warn("could not claim from the outbox; trying again at the next poll", e);
      batch = List.of();
    }
    exchange.getMessage().setBody(batch);
  }

  /** A full batch suggests more rows are due than one claim may take. */
  boolean isFull(Exchange exchange) {
    List<?> batch = exchange.getMessage().getBody(List.class);
    return batch != null && batch.size() >= batchSize;
  }
}
