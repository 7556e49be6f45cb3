package dk.brobygger.fhir.sensitivity;

import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.ALCOHOL_DEPENDENCE;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.BLOOD_GLUCOSE;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.BLOOD_PRESSURE;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.CITIZEN;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.COPD;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.GP_SOR;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.HEADER;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.HIV;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.LUNG_FUNCTION;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.NURSE;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.PATIENT;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.REFERRAL;
import static dk.brobygger.fhir.sensitivity.StreetHealthDayReferral.SCHIZOPHRENIA;
import static dk.brobygger.fhir.sensitivity.SensitivityLabelsTest.ETH;
import static dk.brobygger.fhir.sensitivity.SensitivityLabelsTest.PSY;
import static dk.brobygger.fhir.sensitivity.SensitivityLabelsTest.R;
import static dk.brobygger.fhir.sensitivity.SensitivityLabelsTest.SUD;
import static dk.brobygger.fhir.sensitivity.SensitivityLabelsTest.V;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.ConsentEvaluator;
import dk.brobygger.fhir.consent.ConsentRules;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.consent.Decision;
import dk.brobygger.fhir.consent.DisclosureRequest;
import dk.brobygger.fhir.consent.Minimiser;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.MessageReader;
import dk.brobygger.fhir.message.MessageReader.BaseValidation;
import dk.brobygger.fhir.message.ReceivedMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.MedicationStatement.MedicationStatementStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * Sensitive content in a real referral, from reading to minimising: labels inferred from ICD-10
 * codes reach the consent decision, and the decision withholds what the citizen said no to.
 */
class SensitiveReferralTest {

  private static final FhirCodec CODEC = new FhirCodec();
  private static final Instant AT = Instant.parse("2025-03-04T08:20:00Z");
  private static final Recipient GP = new Recipient("gp-lindegaarden", "Lægerne Lindegården", "gp",
      List.of(GP_SOR), Optional.of(URI.create("https://example.invalid/gp-lindegaarden")));
  private static final String ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";

  private final MessageReader reader = new MessageReader(CODEC, BaseValidation.DISABLED);
  private final ConsentEvaluator evaluator = new ConsentEvaluator();

  /** Yes to the GP, for treatment; but nothing about alcohol or drugs (security label SUD). */
  private static Consent yesToTheGpButNotAboutSubstanceUse() {
    Consent consent = new Consent();
    consent.setId("consent-jens-1");
    consent.getMeta().setVersionId("1");
    consent.setStatus(ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding(ConsentRules.CONSENT_SCOPE, ConsentRules.PATIENT_PRIVACY, null)));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(CITIZEN.system()).setValue(CITIZEN.value())));
    consent.setDateTimeElement(new DateTimeType("2025-02-18T11:00:00+01:00"));
    ProvisionComponent permit = new ProvisionComponent().setType(ConsentProvisionType.PERMIT);
    permit.addActor().setReference(new Reference().setIdentifier(
        new Identifier().setSystem(Code.RECIPIENT_KIND).setValue("gp")));
    permit.addAction(new CodeableConcept(new Coding(ACTION, "disclose", null)));
    permit.addPurpose(new Coding(Code.TREATMENT.system(), Code.TREATMENT.code(), null));
    permit.addProvision()
        .setType(ConsentProvisionType.DENY)
        .addSecurityLabel(new Coding(SUD.system(), SUD.code(), null));
    consent.setProvision(permit);
    ConsentRules.validate(consent);
    return consent;
  }

  private ReceivedMessage read(StreetHealthDayReferral referral) {
    return read(reader, referral);
  }

  private static ReceivedMessage read(MessageReader reader, StreetHealthDayReferral referral) {
    return reader.read(CODEC.encode(referral.bundle(), FhirFormat.JSON), FhirFormat.JSON);
  }

  private static Map<String, Set<Code>> labelsByReference(ReceivedMessage message) {
    return message.items().stream().collect(Collectors.toMap(DataItem::reference, DataItem::securityLabels));
  }

  private Decision decide(ReceivedMessage message) {
    DisclosureRequest request = new DisclosureRequest(
        message.citizen(), GP, message.purpose(), message.items(), message.focusReference(), AT);
    return evaluator.decide(List.of(yesToTheGpButNotAboutSubstanceUse()), request);
  }

  @Test
  void everyEntryIsLabelledByItsOwnCodesAndTheReferralNotByTheConditionsItNames() {
    Map<String, Set<Code>> labels = labelsByReference(read(new StreetHealthDayReferral()));

    assertThat(labels.get(ALCOHOL_DEPENDENCE)).containsExactlyInAnyOrder(ETH, SUD, R);
    assertThat(labels.get(SCHIZOPHRENIA)).containsExactlyInAnyOrder(PSY, R);
    assertThat(labels.get(HIV)).containsExactlyInAnyOrder(SensitivityLabelsTest.HIV, R);
    assertThat(labels.get(COPD)).isEmpty();
    assertThat(labels.get(BLOOD_PRESSURE)).isEmpty();
    assertThat(labels.get(BLOOD_GLUCOSE)).isEmpty();
    assertThat(labels.get(LUNG_FUNCTION)).isEmpty();
    assertThat(labels.get(REFERRAL)).as("reasonReference to F10.2 does not label the referral").isEmpty();
    assertThat(labels.get(PATIENT)).isEmpty();
  }

  @Test
  void aConsentForTheGpThatDeniesSubstanceUseInformationPermitsAllButTheAlcoholDependence() {
    Decision decision = decide(read(new StreetHealthDayReferral()));

    assertThat(decision.permits()).isTrue();
    assertThat(decision.basis()).contains(new ConsentVersion("consent-jens-1", 1));
    assertThat(decision.excludedReferences()).containsExactly(ALCOHOL_DEPENDENCE);
    assertThat(decision.excludedClasses()).containsExactly(SUD);
  }

  @Test
  void minimisingRemovesTheAlcoholDependenceAndTheReferralsReferenceToIt() {
    StreetHealthDayReferral referral = new StreetHealthDayReferral();
    Decision decision = decide(read(referral));

    Bundle minimised = Minimiser.minimise(referral.bundle(), decision);

    assertThat(minimised.getEntry()).extracting(BundleEntryComponent::getFullUrl).containsExactly(
        HEADER, NURSE, StreetHealthDayReferral.GP, PATIENT, REFERRAL,
        SCHIZOPHRENIA, COPD, HIV, BLOOD_PRESSURE, BLOOD_GLUCOSE, LUNG_FUNCTION);
    ServiceRequest sent = (ServiceRequest) minimised.getEntry().get(4).getResource();
    assertThat(sent.getReasonReference()).extracting(Reference::getReference).containsExactly(COPD);
    assertThat(sent.getSupportingInfo()).extracting(Reference::getReference)
        .containsExactly(SCHIZOPHRENIA, HIV, BLOOD_PRESSURE, BLOOD_GLUCOSE, LUNG_FUNCTION);
    String encoded = new String(CODEC.encode(minimised, FhirFormat.JSON), StandardCharsets.UTF_8);
    assertThat(encoded).doesNotContain(ALCOHOL_DEPENDENCE, "F10.2", "Alkoholafhængighed");
    assertThat(referral.bundle().getEntry()).as("the received message is left as it was").hasSize(12);
  }

  @Test
  void aReferralThatStatesAlcoholDependenceInItsOwnReasonCodeIsDeniedWhole() {
    StreetHealthDayReferral referral = new StreetHealthDayReferral();
    referral.resource(REFERRAL, ServiceRequest.class)
        .addReasonCode(new CodeableConcept(new Coding(SensitivityLabels.ICD_10, "F10.2", null)));
    ReceivedMessage message = read(referral);

    assertThat(labelsByReference(message).get(REFERRAL)).containsExactlyInAnyOrder(ETH, SUD, R);
    assertThat(message.items().stream().filter(i -> i.reference().equals(REFERRAL)).findFirst().orElseThrow().codes())
        .contains(new Code(SensitivityLabels.ICD_10, "F10.2"), new Code("http://snomed.info/sct", "306206005"));
    Decision decision = decide(message);
    assertThat(decision.permits()).isFalse();
    assertThat(decision.basis()).contains(new ConsentVersion("consent-jens-1", 1));
  }

  @Test
  void labelsTheSenderGaveAreKeptBesideTheInferredOnes() {
    StreetHealthDayReferral referral = new StreetHealthDayReferral();
    referral.resource(SCHIZOPHRENIA, Condition.class).getMeta().addSecurity(V.system(), V.code(), "very restricted");
    referral.resource(COPD, Condition.class).getMeta().addSecurity(SUD.system(), SUD.code(), null);

    Map<String, Set<Code>> labels = labelsByReference(read(referral));

    assertThat(labels.get(SCHIZOPHRENIA)).containsExactlyInAnyOrder(V, PSY);
    assertThat(labels.get(COPD)).containsExactly(SUD);
  }

  @Test
  void opioidSubstitutionGivenAsAMedicationStatementIsWithheldLikeTheDiagnosis() {
    StreetHealthDayReferral referral = new StreetHealthDayReferral();
    String methadone = "urn:uuid:c527e2d4-f3a5-4b7c-8dbe-d0e1f2031425";
    MedicationStatement statement = new MedicationStatement()
        .setStatus(MedicationStatementStatus.ACTIVE)
        .setMedication(new CodeableConcept(new Coding(SensitivityLabels.ATC, "N07BC02", "methadone")))
        .setSubject(new Reference(PATIENT));
    statement.setId("c527e2d4-f3a5-4b7c-8dbe-d0e1f2031425");
    referral.bundle().addEntry().setFullUrl(methadone).setResource(statement);
    referral.resource(REFERRAL, ServiceRequest.class).addSupportingInfo(new Reference(methadone));

    Decision decision = decide(read(referral));

    assertThat(decision.excludedReferences()).containsExactlyInAnyOrder(ALCOHOL_DEPENDENCE, methadone);
  }

  @Test
  void aReaderGivenItsOwnTableInfersOnlyWhatThatTableSays() {
    SensitivityLabels hivOnly = SensitivityLabels.fromJson("""
        {"categories": {"hiv": {"about": "HIV", "labels": [
            {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV"}]}},
         "rules": [{"category": "hiv", "system": "http://hl7.org/fhir/sid/icd-10", "from": "B20", "to": "B24",
                    "about": "HIV disease"}]}
        """.getBytes(StandardCharsets.UTF_8), "hiv-only");
    MessageReader ownTable = new MessageReader(CODEC, BaseValidation.DISABLED, hivOnly);

    ReceivedMessage message = read(ownTable, new StreetHealthDayReferral());

    Map<String, Set<Code>> labels = labelsByReference(message);
    assertThat(labels.get(ALCOHOL_DEPENDENCE)).isEmpty();
    assertThat(labels.get(HIV)).containsExactly(SensitivityLabelsTest.HIV);
    assertThat(decide(message).excludedReferences()).isEmpty();
  }

  @Test
  void theStreetHealthDayReferralIsAValidFhirMessage() {
    ReceivedMessage message = read(new MessageReader(CODEC), new StreetHealthDayReferral());

    assertThat(message.items()).extracting(DataItem::reference).containsExactly(
        PATIENT, REFERRAL, ALCOHOL_DEPENDENCE, SCHIZOPHRENIA, COPD, HIV, BLOOD_PRESSURE, BLOOD_GLUCOSE, LUNG_FUNCTION);
  }
}
