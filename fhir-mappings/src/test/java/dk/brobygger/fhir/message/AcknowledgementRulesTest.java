package dk.brobygger.fhir.message;

import static dk.brobygger.fhir.message.ReadingFixtures.assertInvalid;
import static dk.brobygger.fhir.message.ReadingFixtures.header;
import static dk.brobygger.fhir.message.ReadingFixtures.read;
import static dk.brobygger.fhir.message.ReadingFixtures.readChanged;
import static dk.brobygger.fhir.message.ReadingFixtures.remove;
import static dk.brobygger.fhir.message.ReadingFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader.ResponseType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class AcknowledgementRulesTest {

  private static final String OK = "acknowledgement-ok.json";
  private static final String FATAL = "acknowledgement-fatal.json";
  private static final String OK_HEADER = "urn:uuid:5a7c9e1b-3d5f-4a7c-9e1b-3d5f7a9c1e82";
  private static final String OK_PROVENANCE = "urn:uuid:c9e1a3b5-7d9f-4b1c-8e3a-5c7e9b1d3f93";
  private static final String FATAL_PROVENANCE = "urn:uuid:e1a3c5d7-9f1b-4d3e-8a5c-7e9b1d3f5a37";
  private static final String FATAL_OUTCOME = "urn:uuid:d0f2b4c6-8e0a-4c2e-9b4d-6f8a0c2e4b26";
  private static final String REJECTED = "Acknowledgement rejected: ";

  @Test
  void aPositiveAcknowledgementNamesTheDeliveredMessageAndNeedsNoFocusOrPatient() {
    ReceivedMessage message = read(OK);

    assertThat(message.event()).isEqualTo(MessageEvent.ACKNOWLEDGEMENT.code());
    assertThat(message.answers()).contains(new MessageAnswer("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41", ResponseCode.OK));
    assertThat(message.sender()).contains(new OrganisationIdentifier(OrganisationIdentifier.SOR, "123451000016008"));
    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001"));
    assertThat(message.citizen()).isEmpty();
    assertThat(message.focusReference()).isEqualTo(OK_HEADER);
    assertThat(message.items()).extracting(DataItem::resourceType).containsExactly("Provenance");
    assertThat(MessagingResponses.details(message)).isEmpty();
  }

  @Test
  void aFatalErrorAcknowledgementCarriesItsReasonInAnOperationOutcome() {
    ReceivedMessage message = read(FATAL);

    assertThat(message.answers()).contains(new MessageAnswer("4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24", ResponseCode.FATAL_ERROR));
    assertThat(MessagingResponses.details(message)).hasValueSatisfying(outcome ->
        assertThat(outcome.getIssueFirstRep().getDiagnostics())
            .isEqualTo("Lungemedicinsk ambulatorium modtager ikke anmodninger om tid elektronisk; send en henvisning"));
  }

  @Test
  void anAcknowledgementThatAnswersNothingIsRejected() {
    assertInvalid(OK, b -> {
      header(b).setResponse(null);
      remove(b, OK_PROVENANCE);
    }, REJECTED + "MessageHeader.response is missing; an acknowledgement names the message it answers");
  }

  @Test
  void aFatalErrorWithoutOperationOutcomeIsRejected() {
    assertInvalid(FATAL, b -> header(b).getResponse().setDetails(null),
        REJECTED + "MessageHeader.response.details must reference an OperationOutcome entry when "
            + "MessageHeader.response.code is 'fatal-error'");
  }

  @Test
  void aTransientErrorWithoutOperationOutcomeIsRejected() {
    assertInvalid(OK, b -> header(b).getResponse().setCode(ResponseType.TRANSIENTERROR),
        REJECTED + "MessageHeader.response.details must reference an OperationOutcome entry when "
            + "MessageHeader.response.code is 'transient-error'");
  }

  @Test
  void detailsThatAreNotAnOperationOutcomeAreRejected() {
    assertInvalid(FATAL, b -> header(b).getResponse().setDetails(new Reference(FATAL_PROVENANCE)),
        REJECTED + "MessageHeader.response.details must reference an OperationOutcome, got Provenance");
  }

  @Test
  void detailsOutsideTheBundleAreRejected() {
    assertInvalid(FATAL, b -> header(b).getResponse().setDetails(new Reference("urn:uuid:66666666-6666-4666-8666-666666666666")),
        REJECTED + "MessageHeader.response.details urn:uuid:66666666-6666-4666-8666-666666666666 "
            + "does not resolve to an entry of the Bundle");
  }

  @Test
  void anAcknowledgementWithoutProvenanceIsAccepted() {
    ReceivedMessage message = readChanged(OK, b -> remove(b, OK_PROVENANCE));

    assertThat(message.answers()).isPresent();
    assertThat(message.items()).isEmpty();
  }

  @Test
  void theProvenanceOfAnAcknowledgementTargetsItsMessageHeader() {
    assertInvalid(OK, b -> resource(b, OK_PROVENANCE, Provenance.class).getTargetFirstRep()
            .setReference("urn:uuid:b2a7c4e1-8d3f-4a6b-9c5e-1f0d2e3a4b57"),
        REJECTED + "Provenance.target must reference the MessageHeader (" + OK_HEADER + ")");
  }

  @Test
  void theProvenanceMustNameTheSameMessageAsTheHeader() {
    assertInvalid(FATAL, b -> header(b).getResponse().setIdentifier("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41"),
        REJECTED + "Provenance.entity.what.identifier '4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24' does not match "
            + "MessageHeader.response.identifier '7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41'");
  }

  @Test
  void anAcknowledgementMayNameAFocusOfAnyType() {
    ReceivedMessage message = readChanged(FATAL, b -> {
      header(b).addFocus(new Reference(FATAL_OUTCOME));
      resource(b, FATAL_PROVENANCE, Provenance.class).getTargetFirstRep().setReference(FATAL_OUTCOME);
    });

    assertThat(message.focusReference()).isEqualTo(FATAL_OUTCOME);
    assertThat(message.items()).extracting(DataItem::resourceType).containsExactly("OperationOutcome", "Provenance");
  }

  @Test
  void anAcknowledgementAboutACitizenReadsTheCitizensIdentifiers() {
    ReceivedMessage message = readChanged(OK, b -> b.addEntry()
        .setFullUrl("urn:uuid:77777777-7777-4777-8777-777777777777")
        .setResource(new Patient().addIdentifier(new Identifier().setSystem(CitizenIdentifier.CPR).setValue("0101801234"))));

    assertThat(message.citizen()).containsExactly(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"));
  }

  @Test
  void anAcknowledgementAboutTwoCitizensIsRejected() {
    assertInvalid(OK, b -> {
      for (String fullUrl : new String[] {"urn:uuid:77777777-7777-4777-8777-777777777777", "urn:uuid:88888888-8888-4888-8888-888888888888"}) {
        b.addEntry().setFullUrl(fullUrl)
            .setResource(new Patient().addIdentifier(new Identifier().setSystem(CitizenIdentifier.CPR).setValue("0101801234")));
      }
    }, REJECTED + "the Bundle has 2 Patient entries; a message is about one citizen");
  }

  @Test
  void theReasonOfAFatalErrorIsAnItemLikeAnyOther() {
    assertThat(read(FATAL).items()).extracting(DataItem::reference).containsExactly(FATAL_OUTCOME, FATAL_PROVENANCE);
    assertThat(resourceOf(read(FATAL), FATAL_OUTCOME)).isInstanceOf(OperationOutcome.class);
  }

  private static Object resourceOf(ReceivedMessage message, String fullUrl) {
    return message.bundle().getEntry().stream().filter(e -> e.getFullUrl().equals(fullUrl)).findFirst().orElseThrow().getResource();
  }
}
