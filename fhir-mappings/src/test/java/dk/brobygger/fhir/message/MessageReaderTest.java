package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.api.Test;

/** The message rules, with base validation off (it has its own test). */
class MessageReaderTest {

  private static final String SERVICE_REQUEST = "urn:uuid:3a9d5f7b-1c2e-4f8a-b6d4-5e7c9a1b3d20";
  private static final String PATIENT = "urn:uuid:5c8e2a4d-7b9f-4e1a-8c3d-6f2b4a9e1c73";
  private static final String CONDITION = "urn:uuid:8b4f6d2a-9e1c-4a3b-b5d7-2c6e8f0a1b94";
  private static final String OBSERVATION = "urn:uuid:d1e3f5a7-2b4c-4d6e-8f0a-1b3c5d7e9f26";
  private static final String TEAM = "urn:uuid:e9f1a2b3-c4d5-4e6f-8a7b-9c0d1e2f3a4b";
  private static final String GP = "urn:uuid:b2a7c4e1-8d3f-4a6b-9c5e-1f0d2e3a4b57";

  private final MessageReader reader = new MessageReader(Samples.CODEC, MessageReader.BaseValidation.DISABLED);

  private static Bundle referral() {
    return Samples.bundle("referral-to-gp.json");
  }

  private static MessageHeader header(Bundle bundle) {
    return (MessageHeader) bundle.getEntryFirstRep().getResource();
  }

  private static BundleEntryComponent entry(Bundle bundle, String fullUrl) {
    return bundle.getEntry().stream().filter(e -> e.getFullUrl().equals(fullUrl)).findFirst().orElseThrow();
  }

  private static <T> T resource(Bundle bundle, String fullUrl, Class<T> type) {
    return type.cast(entry(bundle, fullUrl).getResource());
  }

  private ReceivedMessage read(Bundle bundle) {
    return reader.read(Samples.json(bundle), FhirFormat.JSON);
  }

  /** Mutates the valid referral and expects a refusal of that kind whose diagnostics contain the fragment. */
  private void assertRejected(Consumer<Bundle> mutation, Rejected.Kind kind, String fragment) {
    Bundle bundle = referral();
    mutation.accept(bundle);
    assertThatThrownBy(() -> read(bundle))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(kind);
          assertThat(r.diagnostics()).contains(fragment);
        });
  }

  private void assertInvalid(Consumer<Bundle> mutation, String diagnostics) {
    assertRejected(mutation, Rejected.Kind.INVALID, diagnostics);
  }

  @Test
  void aValidReferralIsReadWithEverythingTheLaterStagesNeed() {
    ReceivedMessage message = reader.read(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON);

    assertThat(message.messageId()).isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
    assertThat(message.event()).isEqualTo(new Code(Code.MESSAGE_EVENTS, "referral"));
    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.SOR, "123451000016008"));
    assertThat(message.sender()).contains(new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001"));
    assertThat(message.purpose()).isEqualTo(Code.TREATMENT);
    assertThat(message.citizen()).containsExactly(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"));
    assertThat(message.focusReference()).isEqualTo(SERVICE_REQUEST);
    assertThat(message.canonicalJson()).isEqualTo(Samples.CODEC.canonicalJson(message.bundle()));
  }

  @Test
  void itemsAreEveryEntryButTheHeaderAndTheAddressingOrganisationsWithThePatientIncluded() {
    ReceivedMessage message = reader.read(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON);

    assertThat(message.items()).extracting(DataItem::reference)
        .containsExactly(PATIENT, SERVICE_REQUEST, CONDITION, OBSERVATION);
    assertThat(message.items()).extracting(DataItem::resourceType)
        .containsExactly("Patient", "ServiceRequest", "Condition", "Observation");
  }

  @Test
  void itemsCarryTheMainCodeAndTheTimeTheDataIsAbout() {
    List<DataItem> items = reader.read(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON).items();

    assertThat(items.get(0).codes()).isEmpty();
    assertThat(items.get(0).dataTime()).isEmpty();
    assertThat(items.get(1).codes()).containsExactly(new Code("http://snomed.info/sct", "306206005"));
    assertThat(items.get(1).dataTime()).contains(Instant.parse("2025-03-04T08:10:00Z"));
    assertThat(items.get(2).codes()).containsExactly(new Code("http://hl7.org/fhir/sid/icd-10", "J44"));
    // recordedDate 2025-02-18 is a Danish date: it starts at 23:00 UTC the day before.
    assertThat(items.get(2).dataTime()).contains(Instant.parse("2025-02-17T23:00:00Z"));
    assertThat(items.get(3).codes()).containsExactly(new Code("http://loinc.org", "85354-9"));
    assertThat(items.get(3).dataTime()).contains(Instant.parse("2025-02-18T09:30:00Z"));
  }

  @Test
  void securityLabelsComeFromMetaSecurityAndThePurposeFromTheReason() {
    ReceivedMessage message = reader.read(Samples.bytes("referral-to-addiction-centre-with-sud.json"), FhirFormat.JSON);

    DataItem dependence = message.items().stream()
        .filter(i -> i.codes().contains(new Code("http://hl7.org/fhir/sid/icd-10", "F10.2")))
        .findFirst().orElseThrow();
    // The sender's SUD and R are kept; the default sensitivity table adds ETH for F10.2.
    assertThat(dependence.securityLabels()).containsExactlyInAnyOrder(
        new Code(Code.ACT_CODE, "SUD"), new Code(Code.CONFIDENTIALITY, "R"), new Code(Code.ACT_CODE, "ETH"));
    assertThat(message.purpose()).isEqualTo(new Code(Code.PURPOSE_OF_USE, "COC"));
    assertThat(message.destination().value()).isEqualTo("553891000016003");
  }

  @Test
  void jsonAndXmlOfTheSameReferralReadAsTheSameMessage() {
    ReceivedMessage json = reader.read(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON);
    ReceivedMessage xml = reader.read(Samples.bytes("referral-to-gp.xml"), FhirFormat.XML);

    assertThat(xml.canonicalJson()).isEqualTo(json.canonicalJson());
    assertThat(xml).usingRecursiveComparison().ignoringFields("bundle").isEqualTo(json);
  }

  @Test
  void anAppointmentRequestMayNameItsSenderByIdentifierAlone() {
    Bundle bundle = Samples.bundle("appointment-request-to-hospital.json");
    header(bundle).setSender(new Reference().setIdentifier(
        new Identifier().setSystem(OrganisationIdentifier.SOR).setValue("325421000016001")));

    ReceivedMessage message = read(bundle);

    assertThat(message.event().code()).isEqualTo("appointment-request");
    assertThat(message.sender()).contains(new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001"));
    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.SOR, "663101000016005"));
    assertThat(message.citizen()).containsExactly(
        new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"),
        new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svb-gsp-0042"));
    // The outreach team's Organization entry is no longer addressing: it is an item like any other.
    assertThat(message.items()).extracting(DataItem::resourceType)
        .containsExactly("Organization", "Patient", "ServiceRequest", "Appointment", "Condition", "Observation");
  }

  @Test
  void anAppointmentResponseHasAnAppointmentAsItsFocus() {
    ReceivedMessage message = reader.read(Samples.bytes("appointment-response-booked.json"), FhirFormat.JSON);

    assertThat(message.event().code()).isEqualTo("appointment-response");
    assertThat(message.focusReference()).isEqualTo("urn:uuid:f2a4b6c8-d0e2-4f4a-b6c8-d0e2f4a6b815");
    assertThat(message.items()).extracting(DataItem::resourceType).containsExactly("Patient", "Appointment", "Provenance");
    assertThat(message.items().get(1).dataTime()).contains(Instant.parse("2025-03-18T08:30:00Z"));
    assertThat(message.citizen()).containsExactly(
        new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"),
        new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svb-gsp-0042"));
  }

  @Test
  void aMessageThatAnswersNothingHasNoAnswer() {
    assertThat(reader.read(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON).answers()).isEmpty();
  }

  @Test
  void theExampleShippedForTheReadmeIsAValidReferralToTheGp() {
    ReceivedMessage message = reader.read(Samples.resource(Samples.EXAMPLES + "referral-to-gp.json"), FhirFormat.JSON);

    assertThat(message.destination().token()).isEqualTo("urn:oid:1.2.208.176.1.1|123451000016008");
    assertThat(message.sender().orElseThrow().token()).isEqualTo("urn:oid:1.2.208.176.1.1|325421000016001");
    assertThat(message.citizen()).extracting(CitizenIdentifier::token).containsExactly("urn:oid:1.2.208.176.1.2|0101801234");
  }

  @Test
  void aRelativeReferenceResolvesToTheEntryWithThatTypeAndId() {
    Bundle bundle = referral();
    resource(bundle, SERVICE_REQUEST, ServiceRequest.class)
        .setSubject(new Reference("Patient/5c8e2a4d-7b9f-4e1a-8c3d-6f2b4a9e1c73"));

    assertThat(read(bundle).focusReference()).isEqualTo(SERVICE_REQUEST);
  }

  @Test
  void aReferenceToAnExternalServerIsAllowed() {
    Bundle bundle = referral();
    resource(bundle, CONDITION, Condition.class).setAsserter(new Reference("https://fhir.svendborg.dk/Practitioner/77"));

    assertThat(read(bundle).items()).hasSize(4);
  }

  @Test
  void identifiersOfOtherSystemsAreCarriedButNotUsedAsCitizenIdentifiers() {
    Bundle bundle = referral();
    resource(bundle, PATIENT, Patient.class).addIdentifier(new Identifier().setSystem("https://svendborg.dk/sag").setValue("2025-117"));

    assertThat(read(bundle).citizen()).containsExactly(new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"));
  }

  @Test
  void anIdentifierOnTheFocusSubjectIsOneOfTheIdentifiersTheMessageNames() {
    Bundle bundle = referral();
    resource(bundle, SERVICE_REQUEST, ServiceRequest.class).getSubject()
        .setIdentifier(new Identifier().setSystem(CitizenIdentifier.CPR).setValue("0202802345"));

    assertThat(read(bundle).citizen()).containsExactly(
        new CitizenIdentifier(CitizenIdentifier.CPR, "0101801234"),
        new CitizenIdentifier(CitizenIdentifier.CPR, "0202802345"));
  }

  @Test
  void aMalformedIdentifierOnTheFocusSubjectIsRejectedNamingItsPath() {
    assertInvalid(b -> resource(b, SERVICE_REQUEST, ServiceRequest.class).getSubject()
            .setIdentifier(new Identifier().setSystem(CitizenIdentifier.CPR).setValue("3201801234")),
        "Referral rejected: ServiceRequest.subject.identifier: CPR number does not begin with a valid date (DDMMYY)");
  }

  // ---- refusals: each rule, its kind and its diagnostics ----

  @Test
  void aBodyThatIsNotFhirIsMalformed() {
    assertThatThrownBy(() -> reader.read("{\"resourceType\": ".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
          assertThat(r.diagnostics()).startsWith("Message rejected: invalid FHIR JSON at line 1");
        });
  }

  @Test
  void aResourceThatIsNotABundleIsInvalid() {
    assertThatThrownBy(() -> reader.read("{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).isEqualTo("Message rejected: expected a Bundle, got Patient");
        });
  }

  @Test
  void anUnknownElementInsideTheBundleIsMalformed() {
    String body = new String(Samples.bytes("referral-to-gp.json"), StandardCharsets.UTF_8)
        .replace("\"authoredOn\"", "\"authored\"");

    assertThatThrownBy(() -> reader.read(body.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
          assertThat(r.diagnostics()).isEqualTo(
              "Message rejected: invalid FHIR JSON at Bundle.entry[4].resource.authored: unknown element 'authored'");
        });
  }

  @Test
  void aBundleThatIsNotAMessageIsRejected() {
    assertInvalid(b -> b.setType(Bundle.BundleType.COLLECTION),
        "Message rejected: Bundle.type must be 'message', got 'collection'");
  }

  @Test
  void aBundleWithoutTypeIsRejected() {
    assertInvalid(b -> b.setType(null), "Message rejected: Bundle.type is missing");
  }

  @Test
  void anEntryWithoutFullUrlIsRejected() {
    assertInvalid(b -> b.getEntry().get(5).setFullUrl(null), "Message rejected: Bundle.entry[5].fullUrl is missing");
  }

  @Test
  void anEntryWithoutResourceIsRejected() {
    assertInvalid(b -> b.getEntry().get(6).setResource(null), "Message rejected: Bundle.entry[6].resource is missing");
  }

  @Test
  void aResourceHidingAnotherInContainedIsRejectedBecauseConsentIsDecidedPerEntry() {
    assertInvalid(b -> {
      org.hl7.fhir.r4.model.Condition hidden = new org.hl7.fhir.r4.model.Condition();
      hidden.setId("hidden");
      hidden.getCode().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10").setCode("F10.2");
      ((org.hl7.fhir.r4.model.DomainResource) b.getEntry().get(4).getResource()).addContained(hidden);
    }, "Message rejected: Bundle.entry[4].resource has contained resources; every resource must be its own Bundle entry");
  }

  @Test
  void twoEntriesWithTheSameFullUrlAreRejected() {
    assertInvalid(b -> b.getEntry().get(6).setFullUrl(CONDITION),
        "Message rejected: Bundle.entry[6].fullUrl repeats Bundle.entry[5].fullUrl");
  }

  @Test
  void aBundleWhoseFirstEntryIsNotTheMessageHeaderIsRejected() {
    assertInvalid(b -> b.getEntry().add(b.getEntry().remove(0)), "Message rejected: MessageHeader missing or not first");
  }

  @Test
  void anEmptyBundleIsRejected() {
    assertInvalid(b -> b.getEntry().clear(), "Message rejected: MessageHeader missing or not first");
  }

  @Test
  void aMessageHeaderWithoutIdIsRejected() {
    assertInvalid(b -> header(b).setIdElement(new IdType()), "Message rejected: MessageHeader.id is missing");
  }

  @Test
  void aMessageHeaderWithoutEventIsRejected() {
    assertInvalid(b -> header(b).setEvent(null), "Message rejected: MessageHeader.eventCoding is missing");
  }

  @Test
  void anEventUriInsteadOfACodingIsRejected() {
    assertInvalid(b -> header(b).setEvent(new UriType("https://brobygger.dk/referral")),
        "Message rejected: MessageHeader.event must be an eventCoding, not an eventUri");
  }

  @Test
  void anEventFromAnotherCodeSystemIsRejected() {
    assertInvalid(b -> header(b).getEventCoding().setSystem("http://example.org/events"),
        "Message rejected: MessageHeader.eventCoding.system must be https://brobygger.dk/fhir/CodeSystem/message-events");
  }

  @Test
  void anUnknownEventIsRejected() {
    assertInvalid(b -> header(b).getEventCoding().setCode("discharge"),
        "Message rejected: MessageHeader.eventCoding.code 'discharge' is not one of referral, appointment-request, "
            + "appointment-response, acknowledgement");
  }

  @Test
  void aReferralWithoutDestinationIsRejected() {
    assertInvalid(b -> header(b).getDestination().clear(), "Referral rejected: MessageHeader.destination is missing");
  }

  @Test
  void aReferralWithTwoDestinationsIsRejected() {
    assertInvalid(b -> header(b).addDestination(header(b).getDestinationFirstRep().copy()),
        "Referral rejected: MessageHeader.destination must name exactly one recipient, found 2");
  }

  @Test
  void aDestinationWithoutReceiverIsRejected() {
    assertInvalid(b -> header(b).getDestinationFirstRep().setReceiver(null),
        "Referral rejected: MessageHeader.destination.receiver is missing");
  }

  @Test
  void aReceiverThatDoesNotResolveIsRejected() {
    assertInvalid(b -> header(b).getDestinationFirstRep().setReceiver(new Reference("urn:uuid:00000000-0000-4000-8000-000000000000")),
        "Referral rejected: MessageHeader.destination.receiver urn:uuid:00000000-0000-4000-8000-000000000000 does not resolve to an entry of the Bundle");
  }

  @Test
  void aReceiverOrganisationWithoutIdentifierIsRejected() {
    assertInvalid(b -> resource(b, GP, Organization.class).getIdentifier().clear(),
        "Referral rejected: MessageHeader.destination.receiver has no identifier (system and value)");
  }

  @Test
  void aReceiverIdentifierWithoutSystemIsRejected() {
    assertInvalid(b -> resource(b, GP, Organization.class).getIdentifierFirstRep().setSystem(null),
        "Referral rejected: MessageHeader.destination.receiver has no identifier (system and value)");
  }

  @Test
  void aReceiverThatIsNotAnOrganisationIsRejected() {
    assertInvalid(b -> header(b).getDestinationFirstRep().setReceiver(new Reference(PATIENT)),
        "Referral rejected: MessageHeader.destination.receiver must reference an Organization, got Patient");
  }

  @Test
  void aReceiverGivenOnlyByIdentifierIsAccepted() {
    Bundle bundle = referral();
    header(bundle).getDestinationFirstRep().setReceiver(new Reference().setIdentifier(
        new Identifier().setSystem(OrganisationIdentifier.GLN).setValue("5790000123456")));

    ReceivedMessage message = read(bundle);

    assertThat(message.destination()).isEqualTo(new OrganisationIdentifier(OrganisationIdentifier.GLN, "5790000123456"));
    // The GP's Organization entry is no longer addressing: it is disclosed like any other entry.
    assertThat(message.items()).extracting(DataItem::reference).contains(GP);
  }

  @Test
  void aSenderOrganisationWithoutIdentifierIsRejected() {
    assertInvalid(b -> resource(b, TEAM, Organization.class).getIdentifier().clear(),
        "Referral rejected: MessageHeader.sender has no identifier (system and value)");
  }

  @Test
  void aMessageWithoutSenderIsAccepted() {
    Bundle bundle = referral();
    header(bundle).setSender(null);

    assertThat(read(bundle).sender()).isEmpty();
  }

  @Test
  void aReferralWithoutFocusIsRejected() {
    assertInvalid(b -> header(b).getFocus().clear(), "Referral rejected: MessageHeader.focus is missing");
  }

  @Test
  void aReferralWithTwoFociIsRejected() {
    assertInvalid(b -> header(b).addFocus(new Reference(CONDITION)),
        "Referral rejected: MessageHeader.focus must reference exactly one resource, found 2");
  }

  @Test
  void aFocusThatDoesNotResolveIsRejected() {
    assertInvalid(b -> header(b).getFocusFirstRep().setReference("urn:uuid:11111111-1111-4111-8111-111111111111"),
        "Referral rejected: MessageHeader.focus urn:uuid:11111111-1111-4111-8111-111111111111 does not resolve to an entry of the Bundle");
  }

  @Test
  void aFocusWithoutReferenceIsRejected() {
    assertInvalid(b -> header(b).getFocusFirstRep().setReference(null).setResource(null).setDisplay("the referral"),
        "Referral rejected: MessageHeader.focus has no reference");
  }

  @Test
  void aReferralWhoseFocusIsNotAServiceRequestIsRejected() {
    assertInvalid(b -> header(b).getFocusFirstRep().setReference(CONDITION),
        "Referral rejected: MessageHeader.focus must be a ServiceRequest, got Condition");
  }

  @Test
  void anAppointmentResponseWhoseFocusIsNotAnAppointmentIsRejected() {
    assertInvalid(b -> header(b).getEventCoding().setCode("appointment-response"),
        "Appointment response rejected: MessageHeader.focus must be an Appointment, got ServiceRequest");
  }

  @Test
  void aMessageWithoutPatientIsRejected() {
    assertInvalid(b -> {
      b.getEntry().remove(entry(b, PATIENT));
      resource(b, SERVICE_REQUEST, ServiceRequest.class).setSubject(new Reference().setDisplay("a citizen"));
      resource(b, CONDITION, Condition.class).setSubject(new Reference().setDisplay("a citizen"));
      resource(b, OBSERVATION, org.hl7.fhir.r4.model.Observation.class).setSubject(null);
    }, "Referral rejected: the Bundle has no Patient entry");
  }

  @Test
  void aMessageAboutTwoPatientsIsRejected() {
    assertInvalid(b -> b.addEntry().setFullUrl("urn:uuid:22222222-2222-4222-8222-222222222222")
            .setResource(resource(b, PATIENT, Patient.class).copy()),
        "Referral rejected: the Bundle has 2 Patient entries; a message is about one citizen");
  }

  @Test
  void aServiceRequestAboutSomeoneElseIsRejected() {
    assertInvalid(b -> resource(b, SERVICE_REQUEST, ServiceRequest.class).setSubject(new Reference(TEAM)),
        "Referral rejected: ServiceRequest.subject must reference the Patient entry of the Bundle");
  }

  @Test
  void aPatientWithoutCitizenIdentifierIsRejected() {
    assertInvalid(b -> resource(b, PATIENT, Patient.class).getIdentifierFirstRep().setSystem("https://svendborg.dk/sag"),
        "Referral rejected: Patient.identifier has no CPR, replacement CPR or local outreach identifier");
  }

  @Test
  void aMalformedCprIsRejectedWithTheIdentifiersPosition() {
    assertInvalid(b -> resource(b, PATIENT, Patient.class).getIdentifierFirstRep().setValue("0101801234x"),
        "Referral rejected: Patient.identifier[0]: CPR number must be exactly 10 digits");
  }

  @Test
  void aCprWithAnImpossibleDateIsRejected() {
    assertInvalid(b -> resource(b, PATIENT, Patient.class).getIdentifierFirstRep().setValue("3102801234"),
        "Referral rejected: Patient.identifier[0]: CPR number does not begin with a valid date");
  }

  @Test
  void aCitizenIdentifierWithoutValueIsRejected() {
    assertInvalid(b -> resource(b, PATIENT, Patient.class).addIdentifier().setSystem(CitizenIdentifier.LOCAL_OUTREACH),
        "Referral rejected: Patient.identifier[1].value is missing");
  }

  @Test
  void aMalformedLocalOutreachIdentifierIsRejected() {
    assertInvalid(b -> resource(b, PATIENT, Patient.class).addIdentifier()
            .setSystem(CitizenIdentifier.LOCAL_OUTREACH).setValue("svb gsp 42"),
        "Referral rejected: Patient.identifier[1]: local outreach identifier must be 1 to 64");
  }

  @Test
  void aSecurityLabelWithoutSystemIsRejected() {
    assertInvalid(b -> resource(b, CONDITION, Condition.class).getMeta().addSecurity(new Coding().setCode("SUD")),
        "Referral rejected: Bundle.entry[5].resource.meta.security[0] needs both system and code");
  }

  @Test
  void aReferenceToAMissingUuidEntryIsRejected() {
    assertInvalid(b -> resource(b, CONDITION, Condition.class).setAsserter(new Reference("urn:uuid:33333333-3333-4333-8333-333333333333")),
        "Referral rejected: Bundle.entry[5].resource (Condition) refers to urn:uuid:33333333-3333-4333-8333-333333333333, which is not an entry of the Bundle");
  }

  @Test
  void aRelativeReferenceToAMissingEntryIsRejected() {
    assertInvalid(b -> resource(b, SERVICE_REQUEST, ServiceRequest.class).addSupportingInfo(new Reference("Observation/missing")),
        "Referral rejected: Bundle.entry[4].resource (ServiceRequest) refers to Observation/missing, which is not an entry of the Bundle");
  }

  @Test
  void aPurposeOfUseOnlyCountsFromItsOwnCodeSystem() {
    Bundle bundle = referral();
    header(bundle).getReason().addCoding(new Coding("http://example.org/reasons", "HPAYMT", null));

    assertThat(read(bundle).purpose()).isEqualTo(Code.TREATMENT);
  }
}
