package dk.brobygger.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/**
 * Opens an attempt for the claimed {@link Disclosure} in the exchange body and settles at once the
 * attempts that cannot succeed: a recipient without an http(s) endpoint, and a message older than
 * the policy's maximum age (for example after the gateway was down for days).
 */
final class AttemptStart implements Processor {

  private final DeliveryPolicy policy;
  private final Clock clock;

  AttemptStart(DeliveryPolicy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public void process(Exchange exchange) throws InvalidPayloadException {
    Disclosure disclosure = exchange.getMessage().getMandatoryBody(Disclosure.class);
    exchange.setProperty(AttemptState.PROPERTY, start(disclosure));
  }

  AttemptState start(Disclosure disclosure) {
    Instant now = clock.instant();
    AttemptState state = AttemptState.begin(disclosure, now);
    Optional<URI> endpoint = disclosure.recipient().endpoint();
    if (endpoint.isEmpty()) {
      return state.failed("recipient " + disclosure.recipient().id() + " has no endpoint", Optional.empty(), false);
    }
    if (!isHttp(endpoint.get())) {
      return state.failed(
          "recipient " + disclosure.recipient().id() + " has an endpoint that is not an absolute http(s) URL",
          Optional.empty(), false);
    }
    if (now.isAfter(disclosure.acceptedAt().plus(policy.maxAge()))) {
      return state.failed(
          "not attempted: more than " + policy.maxAge() + " have passed since acceptance", Optional.empty(), false);
    }
    return state;
  }

  private static boolean isHttp(URI endpoint) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https")) && endpoint.getHost() != null;
  }
}
