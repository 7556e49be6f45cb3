package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.MessageDefinition;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

/**
 * The published profiles are the ones the validator applies: each rule written in them refuses a
 * message that breaks it (checked on the validator alone, because the message rules in code, which
 * run first, refuse most of these too), and the gateway's own samples conform.
 */
class MessageProfilesTest {

  private static final CoreValidator VALIDATOR = CoreValidator.shared();
  private static final Map<String, MessageEvent> SAMPLES = Map.of(
      "referral-to-gp.json", MessageEvent.REFERRAL,
      "referral-to-addiction-centre.json", MessageEvent.REFERRAL,
      "referral-to-addiction-centre-with-sud.json", MessageEvent.REFERRAL,
      "referral-from-gp-to-outreach.json", MessageEvent.REFERRAL,
      "appointment-request-to-hospital.json", MessageEvent.APPOINTMENT_REQUEST,
      "appointment-response-booked.json", MessageEvent.APPOINTMENT_RESPONSE,
      "appointment-response-declined.json", MessageEvent.APPOINTMENT_RESPONSE,
      "acknowledgement-ok.json", MessageEvent.ACKNOWLEDGEMENT,
      "acknowledgement-fatal.json", MessageEvent.ACKNOWLEDGEMENT);

  private static List<String> errors(Bundle bundle, MessageEvent event) {
    return VALIDATOR.errors(Samples.json(bundle), event, List.of());
  }

  private static Bundle referral() {
    return Samples.bundle("referral-to-gp.json");
  }

  @Test
  void everySampleConformsToTheProfileOfItsEvent() {
    SAMPLES.forEach((name, event) -> assertThat(errors(Samples.bundle(name), event)).as(name).isEmpty());
  }

  @Test
  void aMessageIsCheckedAgainstTheProfileOfItsOwnEventOnly() {
    assertThat(String.join("; ", errors(referral(), MessageEvent.APPOINTMENT_REQUEST)))
        .contains("bro-msg-2").contains("bro-req-2");
  }

  @Test
  void aSecondPatientBreaksTheOneCitizenRule() {
    Bundle bundle = referral();
    Patient second = new Patient();
    second.addIdentifier().setSystem("urn:oid:1.2.208.176.1.2").setValue("0202802345");
    bundle.addEntry().setFullUrl("urn:uuid:11111111-2222-4333-8444-555555555555").setResource(second);
    assertThat(String.join("; ", errors(bundle, MessageEvent.REFERRAL))).contains("bro-msg-7");
  }

  @Test
  void aMalformedCprNumberBreaksTheProfile() {
    Bundle bundle = referral();
    bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance)
        .map(Patient.class::cast).findFirst().orElseThrow()
        .getIdentifierFirstRep().setSystem("urn:oid:1.2.208.176.1.2").setValue("0101-801234");
    assertThat(String.join("; ", errors(bundle, MessageEvent.REFERRAL))).contains("bro-msg-9");
  }

  @Test
  void aFocusThatIsNotTheServiceRequestBreaksTheReferralProfile() {
    Bundle bundle = referral();
    String patient = bundle.getEntry().stream().filter(e -> e.getResource() instanceof Patient).findFirst().orElseThrow()
        .getFullUrl();
    ((MessageHeader) bundle.getEntryFirstRep().getResource()).setFocus(List.of(new Reference(patient)));
    assertThat(String.join("; ", errors(bundle, MessageEvent.REFERRAL))).contains("bro-ref-1");
  }

  @Test
  void aContainedResourceBreaksTheProfile() {
    Bundle bundle = referral();
    Patient patient = (Patient) bundle.getEntry().stream().filter(e -> e.getResource() instanceof Patient).findFirst()
        .orElseThrow().getResource();
    patient.addContained(new Patient().setId("hidden"));
    patient.addGeneralPractitioner(new Reference("#hidden"));
    assertThat(String.join("; ", errors(bundle, MessageEvent.REFERRAL))).contains("bro-msg-5");
  }

  @Test
  void aProfileTheGatewayDoesNotKnowRefusesTheMessage() {
    assertThat(VALIDATOR.errors(Samples.json(referral()), MessageEvent.REFERRAL, List.of("https://example.org/fhir/StructureDefinition/x")))
        .containsExactly("meta.profile: the profile https://example.org/fhir/StructureDefinition/x is not known to the gateway");
  }

  @Test
  void theSampleConsentConformsToTheConsentProfileAndOneWithoutProvisionDoesNot() {
    Consent consent = Samples.CODEC.parse(Samples.bytes("consent-yes-gp-no-addiction-centre.json"),
        FhirFormat.JSON, Consent.class);
    consent.getMeta().addProfile(MessageProfiles.CONSENT);
    assertThat(VALIDATOR.errors(consent)).isEmpty();

    consent.setProvision(null);
    assertThat(String.join("; ", VALIDATOR.errors(consent))).contains("Consent.provision");
  }

  @Test
  void everyEventHasAProfileAndAMessageDefinitionThatCitesIt() {
    MessageProfiles profiles = MessageProfiles.bundled();
    for (MessageEvent event : MessageEvent.values()) {
      StructureDefinition profile = profiles.structureDefinitions().stream()
          .filter(s -> s.getUrl().equals(MessageProfiles.profileUrl(event))).findFirst().orElseThrow();
      assertThat(profile.getType()).isEqualTo("Bundle");
      MessageDefinition definition = profiles.messageDefinition(event.code().code()).orElseThrow();
      assertThat(definition.getUrl()).isEqualTo(MessageProfiles.definitionUrl(event));
      assertThat(definition.getEventCoding().getSystem()).isEqualTo(event.code().system());
      assertThat(definition.getEventCoding().getCode()).isEqualTo(event.code().code());
      assertThat(definition.getDescription()).contains(profile.getUrl());
    }
    assertThat(profiles.structureDefinition("brobygger-consent").orElseThrow().getUrl()).isEqualTo(MessageProfiles.CONSENT);
  }
}
