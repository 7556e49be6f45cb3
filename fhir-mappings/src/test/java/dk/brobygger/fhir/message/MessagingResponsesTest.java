package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.MessageHeader.ResponseType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.junit.jupiter.api.Test;

class MessagingResponsesTest {

  private static final String ENDPOINT = "https://gateway.svendborg.example/fhir/$process-message";
  private static final OrganisationIdentifier GATEWAY = new OrganisationIdentifier(OrganisationIdentifier.LOCAL, "brobygger-svendborg");
  private static final Instant AT = Instant.parse("2025-03-04T08:15:01.250Z");
  private static final String TASK = "https://gateway.svendborg.example/fhir/Task/0d6f1c2a-4b3e-4f5a-9c8d-7e6f5a4b3c21";

  private final MessagingResponses responses = new MessagingResponses(ENDPOINT);
  private final ReceivedMessage referral = ReadingFixtures.read("referral-to-gp.json");

  private static MessageHeader header(Bundle response) {
    return (MessageHeader) response.getEntryFirstRep().getResource();
  }

  private static BundleEntryComponent entry(Bundle bundle, String fullUrl) {
    return bundle.getEntry().stream().filter(e -> e.getFullUrl().equals(fullUrl)).findFirst()
        .orElseThrow(() -> new AssertionError("no entry " + fullUrl));
  }

  private static <T> T only(Bundle bundle, Class<T> type) {
    List<T> found = bundle.getEntry().stream().map(BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static String identifierOf(Bundle bundle, String organisationReference) {
    Organization organisation = (Organization) entry(bundle, organisationReference).getResource();
    return organisation.getIdentifierFirstRep().getSystem() + "|" + organisation.getIdentifierFirstRep().getValue();
  }

  private static OperationOutcome refusal() {
    return OperationOutcomes.rejected(new Rejected(Rejected.Kind.INVALID, "Referral rejected: MessageHeader.focus is missing"));
  }

  @Test
  void anOkResponseIsAMessageWithTheEventOfTheAnsweredMessage() {
    Bundle response = responses.ok(referral, GATEWAY, Optional.of(TASK), AT);

    assertThat(response.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
    assertThat(response.getTimestamp().toInstant()).isEqualTo(AT);
    MessageHeader header = header(response);
    assertThat(header.getEventCoding().getSystem()).isEqualTo(referral.event().system());
    assertThat(header.getEventCoding().getCode()).isEqualTo("referral");
    assertThat(header.getResponse().getIdentifier()).isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
    assertThat(header.getResponse().getCode()).isEqualTo(ResponseType.OK);
    assertThat(header.getResponse().hasDetails()).isFalse();
    assertThat(header.getFocus()).extracting(r -> r.getReference()).containsExactly(TASK);
  }

  @Test
  void theGatewayIsTheSenderAndTheOriginalSenderTheDestination() {
    Bundle response = responses.ok(referral, GATEWAY, Optional.of(TASK), AT);

    MessageHeader header = header(response);
    assertThat(identifierOf(response, header.getSender().getReference())).isEqualTo(GATEWAY.token());
    assertThat(header.getSource().getEndpoint()).isEqualTo(ENDPOINT);
    assertThat(header.getDestination()).singleElement().satisfies(destination -> {
      assertThat(identifierOf(response, destination.getReceiver().getReference()))
          .isEqualTo("urn:oid:1.2.208.176.1.1|325421000016001");
      // Where the original sender wants answers: its own MessageHeader.source.endpoint.
      assertThat(destination.getEndpoint()).isEqualTo("https://brobygger.dk/recipients/325421000016001");
    });
  }

  @Test
  void anOkResponseToAnAnonymousSenderHasNoDestination() {
    Bundle withoutSender = Samples.bundle("referral-to-gp.json");
    ((MessageHeader) withoutSender.getEntryFirstRep().getResource()).setSender(null);

    Bundle response = responses.ok(ReadingFixtures.read(withoutSender), GATEWAY, Optional.empty(), AT);

    assertThat(header(response).getDestination()).isEmpty();
    assertThat(response.getEntry()).extracting(e -> e.getResource().fhirType())
        .containsExactly("MessageHeader", "Organization", "Provenance");
  }

  @Test
  void theProvenanceOfAnOkResponseTargetsTheTaskAndNamesTheAnsweredMessage() {
    Bundle response = responses.ok(referral, GATEWAY, Optional.of(TASK), AT);

    Provenance provenance = only(response, Provenance.class);
    assertThat(provenance.getTarget()).extracting(r -> r.getReference()).containsExactly(TASK);
    assertThat(provenance.getRecorded().toInstant()).isEqualTo(AT);
    assertThat(provenance.getAgentFirstRep().getWho().getReference()).isEqualTo(header(response).getSender().getReference());
    assertThat(provenance.getEntity()).singleElement().satisfies(entity -> {
      assertThat(entity.getRole()).isEqualTo(ProvenanceEntityRole.SOURCE);
      assertThat(entity.getWhat().getIdentifier().getSystem()).isEqualTo("https://brobygger.dk/sid/message-id");
      assertThat(entity.getWhat().getIdentifier().getValue()).isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
    });
  }

  @Test
  void withoutATaskTheResponseHasNoFocusAndItsProvenanceTargetsItsHeader() {
    Bundle response = responses.ok(referral, GATEWAY, Optional.empty(), AT);

    assertThat(header(response).getFocus()).isEmpty();
    assertThat(only(response, Provenance.class).getTargetFirstRep().getReference())
        .isEqualTo(response.getEntryFirstRep().getFullUrl());
  }

  @Test
  void anOkResponseToAnAppointmentResponseHasTheAppointmentResponseEvent() {
    Bundle response = responses.ok(ReadingFixtures.read("appointment-response-booked.json"), GATEWAY, Optional.empty(), AT);

    assertThat(header(response).getEventCoding().getCode()).isEqualTo("appointment-response");
    assertThat(header(response).getResponse().getIdentifier()).isEqualTo("8d0e2f4a-6b8c-4d0e-a2f4-6b8c0d2e4f53");
  }

  @Test
  void anErrorResponseIsAnAcknowledgementWithTheOutcomeAsDetails() {
    Bundle response = responses.error("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41", ResponseCode.FATAL_ERROR, refusal(), GATEWAY, AT);

    MessageHeader header = header(response);
    assertThat(header.getEventCoding().getCode()).isEqualTo("acknowledgement");
    assertThat(header.getResponse().getIdentifier()).isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
    assertThat(header.getResponse().getCode()).isEqualTo(ResponseType.FATALERROR);
    assertThat(header.getDestination()).isEmpty();
    OperationOutcome details = (OperationOutcome) entry(response, header.getResponse().getDetails().getReference()).getResource();
    assertThat(details.getIssueFirstRep().getDiagnostics()).isEqualTo("Referral rejected: MessageHeader.focus is missing");
    assertThat(OperationOutcomes.responseCode(details)).contains(ResponseCode.FATAL_ERROR);
    assertThat(only(response, Provenance.class).getEntityFirstRep().getWhat().getIdentifier().getValue())
        .isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
  }

  @Test
  void aTransientErrorResponseSaysTransientError() {
    Bundle response = responses.error("m-1", ResponseCode.TRANSIENT_ERROR,
        OperationOutcomes.failed(new dk.brobygger.fhir.Failed("the database is busy", null, true)), GATEWAY, AT);

    assertThat(header(response).getResponse().getCode()).isEqualTo(ResponseType.TRANSIENTERROR);
  }

  @Test
  void anErrorResponseCannotSayOk() {
    assertThatThrownBy(() -> responses.error("m-1", ResponseCode.OK, refusal(), GATEWAY, AT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCallersOutcomeIsCopiedNotShared() {
    OperationOutcome details = refusal();
    Bundle response = responses.error("m-1", ResponseCode.FATAL_ERROR, details, GATEWAY, AT);

    details.getIssueFirstRep().setDiagnostics("changed afterwards");

    assertThat(only(response, OperationOutcome.class).getIssueFirstRep().getDiagnostics())
        .isEqualTo("Referral rejected: MessageHeader.focus is missing");
    assertThat(details.hasId()).isFalse();
  }

  @Test
  void answeringADuplicateAtTheSameTimeGivesTheSameBytes() {
    ReceivedMessage again = ReadingFixtures.read("referral-to-gp.json");

    byte[] first = Samples.CODEC.canonicalJson(responses.ok(referral, GATEWAY, Optional.of(TASK), AT));
    byte[] second = Samples.CODEC.canonicalJson(new MessagingResponses(ENDPOINT).ok(again, GATEWAY, Optional.of(TASK), AT));

    assertThat(second).isEqualTo(first);
    assertThat(Samples.CODEC.canonicalJson(responses.error("m-1", ResponseCode.FATAL_ERROR, refusal(), GATEWAY, AT)))
        .isEqualTo(Samples.CODEC.canonicalJson(responses.error("m-1", ResponseCode.FATAL_ERROR, refusal(), GATEWAY, AT)));
  }

  @Test
  void theResponseIdIsANameBasedUuidOfTheAnsweredIdAndTheCode() {
    String ok = header(responses.ok(referral, GATEWAY, Optional.empty(), AT)).getIdElement().getIdPart();
    String okLater = header(responses.ok(referral, GATEWAY, Optional.empty(), AT.plusSeconds(60))).getIdElement().getIdPart();
    String transientError = header(responses.error(referral.messageId(), ResponseCode.TRANSIENT_ERROR, refusal(), GATEWAY, AT))
        .getIdElement().getIdPart();
    String otherMessage = header(responses.error("another", ResponseCode.TRANSIENT_ERROR, refusal(), GATEWAY, AT))
        .getIdElement().getIdPart();

    assertThat(UUID.fromString(ok).version()).isEqualTo(3);
    assertThat(okLater).isEqualTo(ok);
    assertThat(transientError).isNotEqualTo(ok);
    assertThat(otherMessage).isNotEqualTo(transientError);
  }

  @Test
  void everyEntryHasAUuidFullUrlMatchingItsId() {
    Bundle response = responses.error("m-1", ResponseCode.FATAL_ERROR, refusal(), GATEWAY, AT);

    assertThat(response.getEntry()).extracting(e -> e.getResource().fhirType())
        .containsExactly("MessageHeader", "Organization", "OperationOutcome", "Provenance");
    assertThat(response.getEntry()).allSatisfy(e ->
        assertThat(e.getFullUrl()).isEqualTo("urn:uuid:" + e.getResource().getIdElement().getIdPart()));
    assertThat(response.getEntry()).extracting(BundleEntryComponent::getFullUrl).doesNotHaveDuplicates();
  }

  @Test
  void responsesWithoutTaskPassFhirBaseValidation() {
    assertThat(CoreValidator.shared().errors(responses.ok(referral, GATEWAY, Optional.empty(), AT))).isEmpty();
    assertThat(CoreValidator.shared().errors(responses.error("m-1", ResponseCode.FATAL_ERROR, refusal(), GATEWAY, AT))).isEmpty();
  }

  @Test
  void aTaskFocusOutsideTheBundleIsTheOnlyThingBaseValidationFlags() {
    // FHIR wants a message's focus inside the Bundle; the Task lives on the gateway and is referenced.
    assertThat(CoreValidator.shared().errors(responses.ok(referral, GATEWAY, Optional.of(TASK), AT)))
        .containsExactly("Bundle.entry[1].resource.focus[0]: Can't find '" + TASK + "' in the bundle (MessageHeader Data)");
  }
}
