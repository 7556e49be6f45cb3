package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The examples on the class path (the reader's warm-up, every module's tests) are the README's files. */
class SampleMessagesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "appointment-request-to-hospital.json",
    "appointment-response-booked.json",
    "appointment-response-declined.json",
    "referral-from-gp-to-outreach.json",
    "acknowledgement-ok.json",
    "acknowledgement-fatal.json",
    "referral-to-gp.json",
    "referral-to-addiction-centre.json",
    "consent-yes-gp-no-addiction-centre.json"
  })
  void theShippedExampleIsTheReadmesFile(String name) throws IOException {
    // the module's directory is the working directory of its tests
    assertThat(Samples.resource(Samples.EXAMPLES + name)).isEqualTo(Files.readAllBytes(Path.of("..", "docs", "examples", name)));
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
