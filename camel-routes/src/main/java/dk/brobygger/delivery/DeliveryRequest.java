package dk.brobygger.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Makes the exchange's message exactly the request a recipient receives: the sealed bytes and
 * three headers. Every other header is removed first, so nothing Camel or an earlier stage put on
 * the message can reach the recipient.
 */
final class DeliveryRequest implements Processor {

  /**
   * The message id, constant across attempts and re-runs, so a recipient can drop a second copy
   * (the IETF httpapi "Idempotency-Key" header). Delivery is at-least-once: a lease that expires
   * after the recipient answered but before the outcome was recorded sends the message again.
   */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** The attempt number, 1 for the first, so a recipient can tell retries in its logs. */
  static final String ATTEMPT = "X-Brobygger-Attempt";

  @Override
  public void process(Exchange exchange) {
    AttemptState state = exchange.getProperty(AttemptState.PROPERTY, AttemptState.class);
    Disclosure disclosure = state.disclosure();
    SealedPayload sealed = state.sealed().orElseThrow(() -> new IllegalStateException("delivery before sealing"));
    String endpoint = disclosure.recipient().endpoint()
        .orElseThrow(() -> new IllegalStateException("delivery to a recipient without endpoint")).toString();

    Message request = exchange.getMessage();
    request.removeHeaders("*");
    request.setBody(sealed.body());
    request.setHeader(Exchange.CONTENT_TYPE, sealed.contentType());
    request.setHeader(IDEMPOTENCY_KEY, disclosure.messageId());
    request.setHeader(ATTEMPT, Integer.toString(disclosure.attempt()));
    // A Camel control header: tells camel-http where to send; its header filter keeps it off the wire.
    request.setHeader(Exchange.HTTP_URI, endpoint);
  }
}
