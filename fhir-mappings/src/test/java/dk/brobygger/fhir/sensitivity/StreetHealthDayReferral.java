package dk.brobygger.fhir.sensitivity;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.math.BigDecimal;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;

/**
 * The street nurse in Svendborg refers a citizen to his GP after a health day at the shelter:
 * the referral gives COPD and alcohol dependence as reasons, and carries his other diagnoses and
 * the day's blood pressure, blood glucose and lung function (FEV1) as supporting information.
 */
final class StreetHealthDayReferral {

  static final String HEADER = "urn:uuid:0f6b2c1e-3d4a-4b5c-8d9e-1a2b3c4d5e60";
  static final String NURSE = "urn:uuid:1a7c3d2f-4e5b-4c6d-9e0f-2b3c4d5e6f71";
  static final String GP = "urn:uuid:2b8d4e3a-5f6c-4d7e-8f1a-3c4d5e6f7a82";
  static final String PATIENT = "urn:uuid:3c9e5f4b-6a7d-4e8f-9a2b-4d5e6f7a8b93";
  static final String REFERRAL = "urn:uuid:4daf6a5c-7b8e-4f9a-8b3c-5e6f7a8b9ca4";
  static final String ALCOHOL_DEPENDENCE = "urn:uuid:5eb07b6d-8c9f-4a0b-9c4d-6f7a8b9cadb5";
  static final String SCHIZOPHRENIA = "urn:uuid:6fc18c7e-9daf-4b1c-8d5e-7a8b9cadbec6";
  static final String COPD = "urn:uuid:70d29d8f-aeb0-4c2d-9e6f-8b9cadbecfd7";
  static final String HIV = "urn:uuid:81e3ae90-bfc1-4d3e-8f7a-9cadbecfd0e8";
  static final String BLOOD_PRESSURE = "urn:uuid:92f4bfa1-c0d2-4e4f-9a8b-adbecfd0e1f9";
  static final String BLOOD_GLUCOSE = "urn:uuid:a305c0b2-d1e3-4f5a-8b9c-becfd0e1f20a";
  static final String LUNG_FUNCTION = "urn:uuid:b416d1c3-e2f4-4a6b-9cad-cfd0e1f2031b";

  static final CitizenIdentifier CITIZEN = new CitizenIdentifier(CitizenIdentifier.CPR, "0101701234");
  static final OrganisationIdentifier NURSE_SOR = new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001");
  static final OrganisationIdentifier GP_SOR = new OrganisationIdentifier(OrganisationIdentifier.SOR, "481021000016006");

  static final String LOINC = "http://loinc.org";
  static final String UCUM = "http://unitsofmeasure.org";

  private final Bundle bundle = new Bundle();

  StreetHealthDayReferral() {
    bundle.setType(BundleType.MESSAGE);
    bundle.setTimestampElement(new InstantType("2025-03-04T09:15:00+01:00"));
    MessageHeader header = new MessageHeader();
    header.setEvent(new Coding(Code.MESSAGE_EVENTS, "referral", "Henvisning"));
    header.addDestination()
        .setEndpoint("https://brobygger.dk/recipients/" + GP_SOR.value())
        .setReceiver(new Reference(GP));
    header.setSender(new Reference(NURSE));
    header.getSource().setEndpoint("https://brobygger.dk/recipients/" + NURSE_SOR.value());
    header.addFocus(new Reference(REFERRAL));
    add(HEADER, header);
    add(NURSE, organisation(NURSE_SOR, "Gadesygeplejersken, Svendborg Kommune"));
    add(GP, organisation(GP_SOR, "Lægerne Lindegården"));

    Patient citizen = new Patient();
    citizen.addIdentifier(new Identifier().setSystem(CITIZEN.system()).setValue(CITIZEN.value()));
    citizen.addName().setFamily("Testesen").addGiven("Jens");
    citizen.setGender(AdministrativeGender.MALE);
    add(PATIENT, citizen);

    ServiceRequest referral = new ServiceRequest()
        .setStatus(ServiceRequestStatus.ACTIVE)
        .setIntent(ServiceRequestIntent.ORDER)
        .setCode(concept("http://snomed.info/sct", "306206005", "Referral to service"))
        .setSubject(new Reference(PATIENT))
        .setAuthoredOnElement(new DateTimeType("2025-03-04T09:10:00+01:00"))
        .setRequester(new Reference(NURSE))
        .addPerformer(new Reference(GP))
        .addReasonReference(new Reference(COPD))
        .addReasonReference(new Reference(ALCOHOL_DEPENDENCE).setDisplay("Alkoholafhængighed"))
        .addSupportingInfo(new Reference(SCHIZOPHRENIA))
        .addSupportingInfo(new Reference(HIV))
        .addSupportingInfo(new Reference(BLOOD_PRESSURE))
        .addSupportingInfo(new Reference(BLOOD_GLUCOSE))
        .addSupportingInfo(new Reference(LUNG_FUNCTION));
    add(REFERRAL, referral);

    add(ALCOHOL_DEPENDENCE, condition("F10.2", "Mental and behavioural disorders due to use of alcohol: dependence syndrome"));
    add(SCHIZOPHRENIA, condition("F20.0", "Paranoid schizophrenia"));
    add(COPD, condition("J44", "Other chronic obstructive pulmonary disease"));
    add(HIV, condition("B20", "HIV disease resulting in infectious and parasitic diseases"));

    Observation bloodPressure = observation("85354-9", "Blood pressure panel with all children optional");
    bloodPressure.addComponent()
        .setCode(concept(LOINC, "8480-6", "Systolic blood pressure"))
        .setValue(quantity(162, "mmHg", "mm[Hg]"));
    bloodPressure.addComponent()
        .setCode(concept(LOINC, "8462-4", "Diastolic blood pressure"))
        .setValue(quantity(98, "mmHg", "mm[Hg]"));
    add(BLOOD_PRESSURE, bloodPressure);
    add(BLOOD_GLUCOSE, observation("2339-0", "Glucose [Mass/volume] in Blood").setValue(quantity(142, "mg/dL", "mg/dL")));
    add(LUNG_FUNCTION, observation("20150-9", "FEV1").setValue(quantity(1.6, "L", "L")));
  }

  Bundle bundle() {
    return bundle;
  }

  <T extends Resource> T resource(String fullUrl, Class<T> type) {
    return bundle.getEntry().stream()
        .filter(entry -> fullUrl.equals(entry.getFullUrl()))
        .map(entry -> type.cast(entry.getResource()))
        .findFirst()
        .orElseThrow();
  }

  private void add(String fullUrl, Resource resource) {
    resource.setId(fullUrl.substring("urn:uuid:".length()));
    bundle.addEntry(new BundleEntryComponent().setFullUrl(fullUrl).setResource(resource));
  }

  private static Organization organisation(OrganisationIdentifier identifier, String name) {
    Organization organisation = new Organization().setName(name);
    organisation.addIdentifier(new Identifier().setSystem(identifier.system()).setValue(identifier.value()));
    return organisation;
  }

  private static Condition condition(String icd10, String display) {
    Condition condition = new Condition()
        .setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null))
        .setCode(concept(SensitivityLabels.ICD_10, icd10, display))
        .setSubject(new Reference(PATIENT));
    condition.setRecordedDateElement(new DateTimeType("2025-02-18"));
    return condition;
  }

  private static Observation observation(String loinc, String display) {
    Observation observation = new Observation()
        .setStatus(ObservationStatus.FINAL)
        .setCode(concept(LOINC, loinc, display))
        .setSubject(new Reference(PATIENT));
    observation.setEffective(new DateTimeType("2025-02-18T10:30:00+01:00"));
    return observation;
  }

  private static CodeableConcept concept(String system, String code, String display) {
    return new CodeableConcept(new Coding(system, code, display));
  }

  private static Quantity quantity(double value, String unit, String ucum) {
    return new Quantity().setValue(BigDecimal.valueOf(value)).setUnit(unit).setSystem(UCUM).setCode(ucum);
  }
}
