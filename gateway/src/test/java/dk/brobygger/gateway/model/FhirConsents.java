package dk.brobygger.gateway.model;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Writes model consents, items and recipients as the FHIR the gateway reads. Translation only: no deciding. */
public final class FhirConsents {

  public static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";
  static final String ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";

  private FhirConsents() {}

  public static Consent consent(ModelConsent model) {
    Consent consent = new Consent();
    consent.setId(model.id());
    consent.getMeta().setVersionId(Long.toString(model.version()));
    consent.setStatus(model.active() ? Consent.ConsentState.ACTIVE : Consent.ConsentState.INACTIVE);
    consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    String[] citizen = model.citizen().split("\\|", 2);
    consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(citizen[0]).setValue(citizen[1])));
    model.recordedAt().ifPresent(t -> consent.setDateTimeElement(new DateTimeType(Date.from(t))));
    // the store stamps a version when it records it; the model has one time for both
    model.recordedAt().ifPresent(t -> consent.getMeta().setLastUpdated(Date.from(t)));
    consent.setPolicyRule(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
    fill(consent.getProvision(), model.root());
    return consent;
  }

  private static void fill(Consent.ProvisionComponent fhir, Provision model) {
    switch (model.type()) {
      case PERMIT -> fhir.setType(Consent.ConsentProvisionType.PERMIT);
      case DENY -> fhir.setType(Consent.ConsentProvisionType.DENY);
      case UNTYPED -> { }
    }
    model.period().ifPresent(w -> fhir.setPeriod(period(w)));
    for (String actor : sorted(model.actors())) {
      fhir.addActor()
          .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
          .setReference(actorReference(actor));
    }
    sorted(model.actions()).forEach(a -> fhir.addAction(new CodeableConcept(new Coding(ACTION, a, null))));
    sorted(model.purposes()).forEach(p -> fhir.addPurpose(new Coding(Code.PURPOSE_OF_USE, p, null)));
    sorted(model.classes()).forEach(c -> fhir.addClass_(new Coding(Code.RESOURCE_TYPES, c, null)));
    sorted(model.labels()).forEach(l -> fhir.addSecurityLabel(new Coding(Code.ACT_CODE, l, null)));
    sorted(model.codes()).forEach(c -> fhir.addCode(new CodeableConcept(new Coding(ICD_10, c, null))));
    model.dataPeriod().ifPresent(w -> fhir.setDataPeriod(period(w)));
    for (Provision nested : model.nested()) {
      fill(fhir.addProvision(), nested);
    }
  }

  /** Sorted so the same model always gives the same FHIR (document order matters to no rule). */
  private static List<String> sorted(java.util.Set<String> values) {
    return values.stream().sorted().toList();
  }

  static Reference actorReference(String actor) {
    String[] kindAndValue = actor.split(":", 2);
    return switch (kindAndValue[0]) {
      case "kind" -> new Reference().setIdentifier(new Identifier().setSystem(Code.RECIPIENT_KIND).setValue(kindAndValue[1]));
      case "sor" -> new Reference().setIdentifier(new Identifier().setSystem(OrganisationIdentifier.SOR).setValue(kindAndValue[1]));
      case "org" -> new Reference("Organization/" + kindAndValue[1]);
      default -> throw new IllegalArgumentException(actor);
    };
  }

  private static Period period(Window window) {
    Period period = new Period();
    window.start().ifPresent(s -> period.setStartElement(new DateTimeType(Date.from(s))));
    window.end().ifPresent(e -> period.setEndElement(new DateTimeType(Date.from(e))));
    return period;
  }

  public static Recipient recipient(ModelRecipient model) {
    return new Recipient(model.id(), model.id(), model.kind(),
        List.of(new OrganisationIdentifier(OrganisationIdentifier.SOR, model.sor())), Optional.empty());
  }

  public static DataItem item(ModelItem model) {
    return new DataItem(model.reference(), model.type(),
        model.labels().stream().map(l -> new Code(Code.ACT_CODE, l)).collect(Collectors.toSet()),
        model.codes().stream().map(c -> new Code(ICD_10, c)).collect(Collectors.toSet()),
        model.time());
  }

  public static List<CitizenIdentifier> citizen(java.util.Set<String> tokens) {
    return tokens.stream().sorted().map(t -> t.split("\\|", 2)).map(t -> new CitizenIdentifier(t[0], t[1])).toList();
  }

  static Instant instant(DateTimeType value) {
    return value.getValue().toInstant();
  }
}
