package dk.brobygger.fhir.consent;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Citizens, recipients, data items and small builders for Consents, shared by the consent tests. */
final class ConsentFixtures {

  static final Instant AT = Instant.parse("2025-03-10T10:00:00Z");

  static final CitizenIdentifier CPR = new CitizenIdentifier(CitizenIdentifier.CPR, "0101701234");
  static final CitizenIdentifier LOCAL = new CitizenIdentifier(CitizenIdentifier.LOCAL_OUTREACH, "svendborg-0042");
  static final CitizenIdentifier OTHER_CITIZEN = new CitizenIdentifier(CitizenIdentifier.CPR, "0202802345");

  static final OrganisationIdentifier GP_SOR = new OrganisationIdentifier(OrganisationIdentifier.SOR, "481021000016006");
  static final OrganisationIdentifier GP_GLN = new OrganisationIdentifier(OrganisationIdentifier.GLN, "5790000123456");
  static final OrganisationIdentifier HOSPITAL_SOR = new OrganisationIdentifier(OrganisationIdentifier.SOR, "6631000016002");
  static final OrganisationIdentifier ADDICTION_SOR = new OrganisationIdentifier(OrganisationIdentifier.SOR, "1238831000016007");

  static final Recipient GP = recipient("gp-lindegaarden", "Lægerne Lindegården", "gp", GP_SOR, GP_GLN);
  static final Recipient HOSPITAL = recipient("svendborg-sygehus", "Svendborg Sygehus", "hospital", HOSPITAL_SOR);
  static final Recipient ADDICTION_CENTRE =
      recipient("ringsted-misbrugscenter", "Misbrugscenter Ringsted", "addiction-centre", ADDICTION_SOR);

  static final Code PSY = new Code(Code.ACT_CODE, "PSY");
  static final Code F10_2 = new Code(ProvisionCriteria.ICD_10, "F10.2");
  static final Code F11_2 = new Code(ProvisionCriteria.ICD_10, "F11.2");
  static final Code F10 = new Code(ProvisionCriteria.ICD_10, "F10");
  static final Code RESEARCH = new Code(Code.PURPOSE_OF_USE, "HRESCH");

  static final DataItem REFERRAL = item("urn:uuid:referral", "ServiceRequest", Set.of(), Set.of(), Optional.empty());
  static final DataItem PSYCHIATRIC_CONDITION =
      item("urn:uuid:condition-psy", "Condition", Set.of(PSY), Set.of(), Optional.of(Instant.parse("2024-11-02T09:00:00Z")));
  static final DataItem ALCOHOL_CONDITION =
      item("urn:uuid:condition-f10", "Condition", Set.of(), Set.of(F10_2), Optional.of(Instant.parse("2024-12-01T09:00:00Z")));
  static final DataItem OPIOID_CONDITION =
      item("urn:uuid:condition-f11", "Condition", Set.of(), Set.of(F11_2), Optional.of(Instant.parse("2024-12-01T09:00:00Z")));
  static final DataItem BLOOD_PRESSURE =
      item("urn:uuid:observation-bp", "Observation", Set.of(), Set.of(), Optional.of(Instant.parse("2025-02-20T11:30:00Z")));
  static final DataItem OLD_BLOOD_SUGAR =
      item("urn:uuid:observation-old", "Observation", Set.of(), Set.of(), Optional.of(Instant.parse("2019-05-01T08:00:00Z")));
  static final DataItem UNDATED_NOTE =
      item("urn:uuid:observation-undated", "Observation", Set.of(), Set.of(), Optional.empty());
  static final DataItem DATED_REFERRAL =
      item("urn:uuid:referral", "ServiceRequest", Set.of(), Set.of(), Optional.of(Instant.parse("2025-03-09T12:00:00Z")));

  private ConsentFixtures() {}

  static Recipient recipient(String id, String name, String kind, OrganisationIdentifier... identifiers) {
    return new Recipient(id, name, kind, List.of(identifiers), Optional.of(URI.create("https://example.invalid/" + id)));
  }

  static DataItem item(String reference, String type, Set<Code> labels, Set<Code> codes, Optional<Instant> dataTime) {
    return new DataItem(reference, type, labels, codes, dataTime);
  }

  /** A referral (the focus) plus the given items, about the citizen by CPR, for treatment, at {@link #AT}. */
  static DisclosureRequest referralTo(Recipient recipient, DataItem... others) {
    return request(List.of(CPR), recipient, Code.TREATMENT, AT, REFERRAL, others);
  }

  static DisclosureRequest request(
      List<CitizenIdentifier> citizen, Recipient recipient, Code purpose, Instant at, DataItem focus, DataItem... others) {
    List<DataItem> items = new ArrayList<>();
    items.add(focus);
    items.addAll(List.of(others));
    return new DisclosureRequest(citizen, recipient, purpose, items, focus.reference(), at);
  }

  static DateTimeType milli(Instant instant) {
    return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
  }

  static ConsentBuilder consent(String id) {
    return new ConsentBuilder(id);
  }

  static ProvisionBuilder permit() {
    return new ProvisionBuilder(ConsentProvisionType.PERMIT);
  }

  static ProvisionBuilder deny() {
    return new ProvisionBuilder(ConsentProvisionType.DENY);
  }

  /** An active privacy consent of the citizen (by CPR), version 1, recorded 30 days before {@link #AT}. */
  static final class ConsentBuilder {
    private final Consent consent = new Consent();

    private ConsentBuilder(String id) {
      consent.setId(id);
      consent.getMeta().setVersionId("1");
      consent.setStatus(ConsentState.ACTIVE);
      consent.setScope(new CodeableConcept(new Coding(ConsentRules.CONSENT_SCOPE, ConsentRules.PATIENT_PRIVACY, null)));
      consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
      patient(CPR);
      consent.setDateTimeElement(milli(AT.minusSeconds(30L * 24 * 3600)));
    }

    ConsentBuilder version(String version) {
      consent.getMeta().setVersionId(version);
      return this;
    }

    ConsentBuilder status(ConsentState status) {
      consent.setStatus(status);
      return this;
    }

    ConsentBuilder scope(String system, String code) {
      consent.setScope(new CodeableConcept(new Coding(system, code, null)));
      return this;
    }

    ConsentBuilder patient(CitizenIdentifier citizen) {
      consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(citizen.system()).setValue(citizen.value())));
      return this;
    }

    ConsentBuilder recordedAt(Instant instant) {
      consent.setDateTimeElement(milli(instant));
      return this;
    }

    /** meta.lastUpdated: when the store recorded this version (for a withdrawal: when it was withdrawn). */
    ConsentBuilder stored(Instant instant) {
      consent.getMeta().setLastUpdated(Date.from(instant));
      return this;
    }

    ConsentBuilder provision(ProvisionBuilder provision) {
      consent.setProvision(provision.build());
      return this;
    }

    Consent build() {
      return consent;
    }
  }

  /** A provision with the given type and no criteria until criteria are added. */
  static final class ProvisionBuilder {
    private final ProvisionComponent provision = new ProvisionComponent();

    private ProvisionBuilder(ConsentProvisionType type) {
      provision.setType(type);
    }

    ProvisionBuilder actorKind(String kind) {
      return actor(new Reference().setIdentifier(new Identifier().setSystem(Code.RECIPIENT_KIND).setValue(kind)));
    }

    ProvisionBuilder actorIdentifier(OrganisationIdentifier identifier) {
      return actor(new Reference().setIdentifier(new Identifier().setSystem(identifier.system()).setValue(identifier.value())));
    }

    ProvisionBuilder actorReference(String reference) {
      return actor(new Reference(reference));
    }

    private ProvisionBuilder actor(Reference reference) {
      provision.addActor()
          .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
          .setReference(reference);
      return this;
    }

    ProvisionBuilder action(String code) {
      provision.addAction(new CodeableConcept(new Coding(ProvisionCriteria.CONSENT_ACTION, code, null)));
      return this;
    }

    ProvisionBuilder purpose(Code purpose) {
      provision.addPurpose(coding(purpose));
      return this;
    }

    ProvisionBuilder resourceClass(String resourceType) {
      provision.addClass_(coding(Code.resourceType(resourceType)));
      return this;
    }

    ProvisionBuilder label(Code label) {
      provision.addSecurityLabel(coding(label));
      return this;
    }

    ProvisionBuilder code(Code code) {
      provision.addCode(new CodeableConcept(coding(code)));
      return this;
    }

    ProvisionBuilder period(Instant start, Instant end) {
      provision.setPeriod(periodOf(start == null ? null : milli(start), end == null ? null : milli(end)));
      return this;
    }

    ProvisionBuilder period(DateTimeType start, DateTimeType end) {
      provision.setPeriod(periodOf(start, end));
      return this;
    }

    ProvisionBuilder dataPeriod(Instant start, Instant end) {
      provision.setDataPeriod(periodOf(start == null ? null : milli(start), end == null ? null : milli(end)));
      return this;
    }

    ProvisionBuilder untyped() {
      provision.setType(null);
      return this;
    }

    ProvisionBuilder nested(ProvisionBuilder... exceptions) {
      for (ProvisionBuilder exception : exceptions) {
        provision.addProvision(exception.build());
      }
      return this;
    }

    ProvisionComponent build() {
      return provision;
    }

    private static Period periodOf(DateTimeType start, DateTimeType end) {
      Period period = new Period();
      if (start != null) {
        period.setStartElement(start);
      }
      if (end != null) {
        period.setEndElement(end);
      }
      return period;
    }

    private static Coding coding(Code code) {
      return new Coding(code.system(), code.code(), null);
    }
  }
}
