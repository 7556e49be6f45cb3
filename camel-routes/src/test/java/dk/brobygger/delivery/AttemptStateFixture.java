package dk.brobygger.delivery;

import dk.brobygger.fhir.message.FhirFormat;
import java.time.Instant;

/** Attempt states part-way through the pipeline, for testing single stages. */
final class AttemptStateFixture {

  private AttemptStateFixture() {}

  static AttemptState sealed(Disclosure disclosure) {
    return AttemptState.begin(disclosure, Instant.now())
        .withRecheck(Fixtures.permit())
        .withMinimised(disclosure.body())
        .withSealed(new SealedPayload(disclosure.body(), FhirFormat.JSON.mimeType()));
  }

  static Disclosure attempt(int number) {
    Disclosure d = Fixtures.disclosureTo("http://gp.example/fhir");
    return new Disclosure(d.outboxId(), d.taskId(), d.messageId(), d.recipient(), d.citizen(), d.purpose(), d.body(),
        number, d.acceptedAt());
  }
}
