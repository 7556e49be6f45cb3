package dk.brobygger.fhir.message;

import static dk.brobygger.fhir.message.ReadingFixtures.assertInvalid;
import static dk.brobygger.fhir.message.ReadingFixtures.header;
import static dk.brobygger.fhir.message.ReadingFixtures.read;
import static dk.brobygger.fhir.message.ReadingFixtures.readChanged;
import static dk.brobygger.fhir.message.ReadingFixtures.remove;
import static dk.brobygger.fhir.message.ReadingFixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.directory.OrganisationIdentifier;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader.ResponseType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class AppointmentResponseRulesTest {

  private static final String BOOKED = "appointment-response-booked.json";
  private static final String DECLINED = "appointment-response-declined.json";
  private static final String REQUEST_ID = "4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24";
  private static final String APPOINTMENT = "urn:uuid:f2a4b6c8-d0e2-4f4a-b6c8-d0e2f4a6b815";
  private static final String PROVENANCE = "urn:uuid:a7c9e1f3-5b7d-4f9a-8c1e-3a5b7c9d1e26";
  private static final String PATIENT = "urn:uuid:5c8e2a4d-7b9f-4e1a-8c3d-6f2b4a9e1c73";
  private static final String REJECTED = "Appointment response rejected: ";

  private static Appointment appointment(Bundle bundle) {
    return resource(bundle, APPOINTMENT, Appointment.class);
  }

  private static Provenance provenance(Bundle bundle) {
    return resource(bundle, PROVENANCE, Provenance.class);
  }

  private static void assertRejected(Consumer<Bundle> mutation, String diagnostics) {
    assertInvalid(BOOKED, mutation, REJECTED + diagnostics);
  }

  @Test
  void aBookedAppointmentAnswersTheRequestByItsMessageHeaderId() {
    ReceivedMessage message = read(BOOKED);

    assertThat(message.event()).isEqualTo(MessageEvent.APPOINTMENT_RESPONSE.code());
    assertThat(message.answers()).contains(new MessageAnswer(REQUEST_ID, ResponseCode.OK));
    assertThat(message.focusReference()).isEqualTo(APPOINTMENT);
    assertThat(message.sender()).contains(new OrganisationIdentifier(OrganisationIdentifier.SOR, "663101000016005"));
    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001"));
    assertThat(((Appointment) message.bundle().getEntry().get(4).getResource()).getStatus()).isEqualTo(AppointmentStatus.BOOKED);
  }

  @Test
  void aDeclinedAppointmentIsCancelledWithAReasonAndAnswersTheSameRequest() {
    ReceivedMessage message = read(DECLINED);

    assertThat(message.answers()).contains(new MessageAnswer(REQUEST_ID, ResponseCode.OK));
    Appointment declined = (Appointment) message.bundle().getEntry().get(4).getResource();
    assertThat(declined.getStatus()).isEqualTo(AppointmentStatus.CANCELLED);
    assertThat(declined.getCancelationReason().getText()).startsWith("Spirometri kan foretages hos egen læge");
  }

  @Test
  void aBookedAppointmentWithoutStartIsRejected() {
    assertRejected(b -> appointment(b).setStartElement(null), "Appointment.start is missing; a booked appointment has a time");
  }

  @Test
  void aBookedAppointmentWithoutEndIsRejected() {
    assertRejected(b -> appointment(b).setEndElement(null), "Appointment.end is missing; a booked appointment has a time");
  }

  @Test
  void aBookedAppointmentThatEndsWhenItStartsIsRejected() {
    assertRejected(b -> appointment(b).setEndElement(new InstantType("2025-03-18T09:30:00+01:00")),
        "Appointment.end must be after Appointment.start");
  }

  @Test
  void aDeclinedAppointmentWithoutReasonIsRejected() {
    assertInvalid(DECLINED, b -> resource(b, "urn:uuid:0a2c4e6f-8b0d-4c2e-9f4a-6b8d0e2f4a97", Appointment.class)
            .setCancelationReason(null),
        REJECTED + "Appointment.cancelationReason is missing; a declined appointment says why");
  }

  @Test
  void anAppointmentThatIsStillOnlyProposedIsNoAnswer() {
    assertRejected(b -> appointment(b).setStatus(AppointmentStatus.PROPOSED),
        "Appointment.status must be 'booked' or 'cancelled' (declined), got 'proposed'");
  }

  @Test
  void aResponseThatDoesNotSayWhichRequestItAnswersIsRejected() {
    assertRejected(b -> header(b).setResponse(null),
        "MessageHeader.response is missing; an appointment response names the appointment request it answers "
            + "by its MessageHeader.id");
  }

  @Test
  void aResponseWithoutTheAnsweredIdentifierIsRejected() {
    assertRejected(b -> header(b).getResponse().setIdentifierElement(new IdType()),
        "MessageHeader.response.identifier is missing");
  }

  @Test
  void aResponseWithoutResponseCodeIsRejected() {
    assertRejected(b -> header(b).getResponse().setCode(null), "MessageHeader.response.code is missing");
  }

  @Test
  void aMessageCannotAnswerItself() {
    assertRejected(b -> header(b).getResponse().setIdentifier(header(b).getIdElement().getIdPart()),
        "MessageHeader.response.identifier is the message's own MessageHeader.id");
  }

  @Test
  void anAppointmentResponseWithAnErrorCodeIsRejected() {
    assertRejected(b -> header(b).getResponse().setCode(ResponseType.FATALERROR),
        "MessageHeader.response.code must be 'ok' for an appointment response, got 'fatal-error'; "
            + "a request that could not be processed is answered by an acknowledgement");
  }

  @Test
  void aResponseWithoutProvenanceIsRejected() {
    assertRejected(b -> remove(b, PROVENANCE),
        "the Bundle has no Provenance entry; an appointment response needs one whose target is the focus "
            + "Appointment and whose source entity names the appointment request");
  }

  @Test
  void aProvenanceAboutAnotherEntryIsRejected() {
    assertRejected(b -> provenance(b).getTargetFirstRep().setReference(PATIENT),
        "Provenance.target must reference MessageHeader.focus (" + APPOINTMENT + ")");
  }

  @Test
  void aProvenanceMayTargetTheFocusByRelativeReference() {
    ReceivedMessage message = readChanged(BOOKED,
        b -> provenance(b).getTargetFirstRep().setReference("Appointment/f2a4b6c8-d0e2-4f4a-b6c8-d0e2f4a6b815"));

    assertThat(message.answers()).contains(new MessageAnswer(REQUEST_ID, ResponseCode.OK));
  }

  @Test
  void twoProvenancesOfTheFocusAreRejected() {
    assertRejected(b -> b.addEntry().setFullUrl("urn:uuid:55555555-5555-4555-8555-555555555555")
            .setResource(provenance(b).copy()),
        "2 Provenance entries target MessageHeader.focus; exactly one may");
  }

  @Test
  void aProvenanceOfAnEarlierStepIsCarriedAlong() {
    ReceivedMessage message = readChanged(BOOKED, b -> {
      Provenance earlier = provenance(b).copy();
      earlier.getTargetFirstRep().setReference(PATIENT);
      b.addEntry().setFullUrl("urn:uuid:55555555-5555-4555-8555-555555555555").setResource(earlier);
    });

    assertThat(message.items()).extracting(i -> i.resourceType()).containsExactly("Patient", "Appointment", "Provenance", "Provenance");
  }

  @Test
  void aProvenanceWithoutSourceEntityIsRejected() {
    assertRejected(b -> provenance(b).getEntityFirstRep().setRole(ProvenanceEntityRole.DERIVATION),
        "Provenance.entity with role 'source' is missing; it names the answered message");
  }

  @Test
  void aProvenanceWithTwoSourcesIsRejected() {
    assertRejected(b -> provenance(b).addEntity(provenance(b).getEntityFirstRep().copy()),
        "Provenance has 2 entities with role 'source'; a message answers one");
  }

  @Test
  void aSourceThatIsNotAMessageIdIsRejected() {
    assertRejected(b -> provenance(b).getEntityFirstRep().getWhat().getIdentifier().setSystem("urn:ietf:rfc:3986"),
        "Provenance.entity.what.identifier must have system https://brobygger.dk/sid/message-id "
            + "and the answered MessageHeader.id as value");
  }

  @Test
  void aSourceGivenOnlyAsAReferenceIsRejected() {
    assertRejected(b -> provenance(b).getEntityFirstRep().setWhat(new Reference("https://sygehus.example/MessageHeader/1")),
        "Provenance.entity.what.identifier must have system https://brobygger.dk/sid/message-id "
            + "and the answered MessageHeader.id as value");
  }

  @Test
  void aProvenanceThatNamesAnotherMessageThanTheHeaderIsRejected() {
    assertRejected(b -> provenance(b).getEntityFirstRep().getWhat().getIdentifier().setValue("another-message"),
        "Provenance.entity.what.identifier 'another-message' does not match MessageHeader.response.identifier '"
            + REQUEST_ID + "'");
  }
}
