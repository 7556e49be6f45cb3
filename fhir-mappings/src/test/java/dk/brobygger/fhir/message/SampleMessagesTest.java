package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The examples shipped on the class path (README, gateway tests) are the samples these tests read. */
class SampleMessagesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "appointment-request-to-hospital.json",
    "appointment-response-booked.json",
    "appointment-response-declined.json",
    "referral-from-gp-to-outreach.json",
    "acknowledgement-ok.json",
    "acknowledgement-fatal.json",
    "referral-to-gp.json"
  })
  void theShippedExampleIsTheTestedSample(String name) {
    assertThat(Samples.resource("/dk/brobygger/fhir/examples/" + name)).isEqualTo(Samples.bytes(name));
  }

  @Test
  void theGpReferralIsAddressedToTheOutreachTeamAboutACitizenByCpr() {
    ReceivedMessage message = ReadingFixtures.read("referral-from-gp-to-outreach.json");

    assertThat(message.event()).isEqualTo(MessageEvent.REFERRAL.code());
    assertThat(message.sender()).contains(new OrganisationIdentifier(OrganisationIdentifier.SOR, "123451000016008"));
    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001"));
    assertThat(message.citizen()).containsExactly(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"));
    assertThat(message.answers()).isEmpty();
  }

  @Test
  void theAppointmentResponsesAnswerTheAppointmentRequest() {
    String request = ReadingFixtures.read("appointment-request-to-hospital.json").messageId();

    assertThat(ReadingFixtures.read("appointment-response-booked.json").answers().orElseThrow().messageId()).isEqualTo(request);
    assertThat(ReadingFixtures.read("appointment-response-declined.json").answers().orElseThrow().messageId()).isEqualTo(request);
  }
}
