package dk.brobygger.delivery;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Sample disclosures, recipients, decisions and policies for the delivery tests. */
final class Fixtures {

  private static final AtomicLong OUTBOX_IDS = new AtomicLong();

  static final CitizenIdentifier CITIZEN = new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, "010150X123");
  static final ConsentVersion CONSENT = new ConsentVersion("consent-gp", 3);

  private Fixtures() {}

  static Recipient gp(Optional<URI> endpoint) {
    return new Recipient("gp-svendborg", "Lægehuset Svendborg", "gp",
        List.of(new OrganisationIdentifier(OrganisationIdentifier.SOR, "123456789012345")), endpoint);
  }

  static Disclosure disclosureTo(String endpoint) {
    return disclosureTo(endpoint, Instant.now());
  }

  static Disclosure disclosureTo(String endpoint, Instant acceptedAt) {
    return disclosure(gp(Optional.of(URI.create(endpoint))), acceptedAt);
  }

  static Disclosure disclosure(Recipient recipient, Instant acceptedAt) {
    long id = OUTBOX_IDS.incrementAndGet();
    String messageId = UUID.randomUUID().toString();
    String bundle = "{\"resourceType\":\"Bundle\",\"id\":\"" + messageId + "\",\"type\":\"message\","
        + "\"entry\":[{\"fullUrl\":\"urn:uuid:" + messageId + "\",\"resource\":{\"resourceType\":\"MessageHeader\"}}]}";
    return new Disclosure(id, "task-" + id, messageId, recipient, List.of(CITIZEN), Code.TREATMENT,
        bundle.getBytes(StandardCharsets.UTF_8), 1, acceptedAt);
  }

  static Decision permit(Set<String> excludedReferences) {
    return new Decision(Decision.Verdict.PERMIT, Optional.of(CONSENT), List.of("permitted by " + CONSENT.reference()),
        excludedReferences, Set.of());
  }

  static Decision permit() {
    return permit(Set.of());
  }

  static Decision withdrawn() {
    return Decision.deny(Optional.of(CONSENT), List.of("consent " + CONSENT.reference() + " was withdrawn"));
  }

  /** Fast retries, short timeouts, a quick poll: tests finish in moments. */
  static DeliveryPolicy fastPolicy() {
    return new DeliveryPolicy(5, Duration.ofHours(1), Duration.ofMillis(20), Duration.ofMillis(100), 0,
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50), 4);
  }

  /** The fast policy, but a retry waits a minute: a test sees one attempt's outcome, not the next attempt's. */
  static DeliveryPolicy oneAttemptWithinTheTest() {
    return withBackoff(fastPolicy(), Duration.ofMinutes(1), Duration.ofMinutes(1));
  }

  static DeliveryPolicy withBackoff(DeliveryPolicy p, Duration initial, Duration max) {
    return new DeliveryPolicy(p.maxAttempts(), p.maxAge(), initial, max, p.jitter(), p.connectTimeout(),
        p.responseTimeout(), p.pollInterval(), p.batchSize());
  }

  static DeliveryPolicy withMaxAttempts(DeliveryPolicy p, int maxAttempts) {
    return new DeliveryPolicy(maxAttempts, p.maxAge(), p.initialBackoff(), p.maxBackoff(), p.jitter(),
        p.connectTimeout(), p.responseTimeout(), p.pollInterval(), p.batchSize());
  }

  static DeliveryPolicy withResponseTimeout(DeliveryPolicy p, Duration responseTimeout) {
    return new DeliveryPolicy(p.maxAttempts(), p.maxAge(), p.initialBackoff(), p.maxBackoff(), p.jitter(),
        p.connectTimeout(), responseTimeout, p.pollInterval(), p.batchSize());
  }

  static DeliveryPolicy withPoll(DeliveryPolicy p, Duration pollInterval, int batchSize) {
    return new DeliveryPolicy(p.maxAttempts(), p.maxAge(), p.initialBackoff(), p.maxBackoff(), p.jitter(),
        p.connectTimeout(), p.responseTimeout(), pollInterval, batchSize);
  }
}
