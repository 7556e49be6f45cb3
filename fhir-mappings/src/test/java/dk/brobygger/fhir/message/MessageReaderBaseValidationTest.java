package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FHIR R4 base validation on top of the message rules. Loading its definitions takes seconds, once. */
class MessageReaderBaseValidationTest {

  private static final MessageReader READER = new MessageReader(Samples.CODEC);

  @BeforeAll
  static void warmUp() {
    READER.warmUp();
  }

  private static Bundle referral() {
    return Samples.bundle("referral-to-gp.json");
  }

  @Test
  void everySampleMessagePassesBaseValidation() {
    for (String name : List.of("referral-to-gp.json", "referral-to-addiction-centre.json", "referral-to-addiction-centre-with-sud.json",
        "appointment-request-to-hospital.json", "appointment-response-booked.json", "appointment-response-declined.json",
        "referral-from-gp-to-outreach.json", "acknowledgement-ok.json", "acknowledgement-fatal.json")) {
      assertThat(READER.read(Samples.bytes(name), FhirFormat.JSON).bundle()).as(name).isNotNull();
    }
    assertThat(READER.read(Samples.bytes("referral-to-gp.xml"), FhirFormat.XML).messageId())
        .isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
  }

  @Test
  void aMissingRequiredElementIsRejectedWithItsLocation() {
    Bundle bundle = referral();
    ((ServiceRequest) bundle.getEntry().get(4).getResource()).setStatus(null);

    assertThatThrownBy(() -> READER.read(Samples.json(bundle), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).isEqualTo(
              "Referral rejected: Bundle.entry[4].resource: ServiceRequest.status: minimum required = 1, but only found 0");
        });
  }

  @Test
  void atMostThreeIssuesAreReportedAndTheRestCounted() {
    Bundle bundle = referral();
    ((ServiceRequest) bundle.getEntry().get(4).getResource()).setStatus(null).setIntent(null);
    ((Observation) bundle.getEntry().get(6).getResource()).setStatus(null);
    ((Patient) bundle.getEntry().get(3).getResource()).addIdentifier().setSystem("not a uri").setValue("x");
    ((Observation) bundle.getEntry().get(6).getResource()).getCategoryFirstRep().getCodingFirstRep().setSystem("not a uri");

    assertThatThrownBy(() -> READER.read(Samples.json(bundle), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).startsWith("Referral rejected: ").containsPattern("; and \\d+ more$");
          assertThat(r.diagnostics().split("; ")).hasSize(4);
        });
  }

  @Test
  void theSharedReaderValidatesFromManyThreadsAtOnce() throws Exception {
    byte[] valid = Samples.bytes("referral-to-gp.json");
    Bundle broken = referral();
    ((ServiceRequest) broken.getEntry().get(4).getResource()).setStatus(null);
    byte[] invalid = Samples.json(broken);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> accepted = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        byte[] body = i % 2 == 0 ? valid : invalid;
        accepted.add(pool.submit(() -> {
          try {
            READER.read(body, FhirFormat.JSON);
            return true;
          } catch (Rejected r) {
            return false;
          }
        }));
      }
      for (int i = 0; i < accepted.size(); i++) {
        assertThat(accepted.get(i).get()).as("message %d", i).isEqualTo(i % 2 == 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
