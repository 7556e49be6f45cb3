package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.consent.DataItem;
import dk.brobygger.fhir.sensitivity.SensitivityLabels;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Type;

/**
 * What consent evaluation sees of one bundle entry: type, security labels, main clinical code and
 * the time the data is about. Types not listed have no codes and no data time; a consent can
 * still address them by resource type and label.
 *
 * <p>Security labels are the sender's meta.security plus those the {@link SensitivityLabels} table
 * infers from the item's own codes; nothing the sender labelled is dropped. Each entry is labelled
 * by its own content only: a Condition that a ServiceRequest names in reasonReference is an item
 * of its own, which consent can withhold (minimisation then removes the reference), so its labels
 * do not spread to the ServiceRequest. A reason the ServiceRequest states itself, in reasonCode,
 * is its own content and counts.
 */
final class DataItems {

  /** Dates without a zone are Danish local dates and times. */
  private static final ZoneId LOCAL = ZoneId.of("Europe/Copenhagen");

  private DataItems() {}

  static DataItem of(String fullUrl, Resource resource, SensitivityLabels sensitivity) {
    Set<Code> codes = codes(resource);
    Set<Code> labels = sensitivity.withInferred(complete(resource.getMeta().getSecurity()), codes);
    return new DataItem(fullUrl, resource.fhirType(), labels, codes, dataTime(resource));
  }

  private static Set<Code> codes(Resource resource) {
    if (resource instanceof Condition r) {
      return complete(r.getCode());
    } else if (resource instanceof Observation r) {
      return complete(r.getCode());
    } else if (resource instanceof ServiceRequest r) {
      Set<Code> codes = complete(r.getCode());
      codes.addAll(complete(r.getReasonCode()));
      return codes;
    } else if (resource instanceof Procedure r) {
      return complete(r.getCode());
    } else if (resource instanceof MedicationStatement r && r.hasMedicationCodeableConcept()) {
      return complete(r.getMedicationCodeableConcept());
    } else if (resource instanceof MedicationRequest r && r.hasMedicationCodeableConcept()) {
      return complete(r.getMedicationCodeableConcept());
    } else if (resource instanceof MedicationDispense r && r.hasMedicationCodeableConcept()) {
      return complete(r.getMedicationCodeableConcept());
    } else if (resource instanceof MedicationAdministration r && r.hasMedicationCodeableConcept()) {
      return complete(r.getMedicationCodeableConcept());
    } else if (resource instanceof Medication r) {
      // A medicine referred to by medicationReference: methadone labels the Medication entry.
      return complete(r.getCode());
    } else if (resource instanceof AllergyIntolerance r) {
      return complete(r.getCode());
    } else if (resource instanceof DiagnosticReport r) {
      return complete(r.getCode());
    } else if (resource instanceof Immunization r) {
      return complete(r.getVaccineCode());
    } else if (resource instanceof Flag r) {
      return complete(r.getCode());
    } else if (resource instanceof DocumentReference r) {
      return complete(r.getType());
    } else if (resource instanceof Encounter r) {
      return complete(r.getType());
    } else if (resource instanceof CarePlan r) {
      return complete(r.getCategory());
    } else if (resource instanceof Appointment r) {
      return complete(r.getServiceType());
    }
    return Set.of();
  }

  private static Optional<Instant> dataTime(Resource resource) {
    if (resource instanceof Observation r) {
      return first(r.getEffective(), r.getIssuedElement());
    } else if (resource instanceof Condition r) {
      return first(r.getRecordedDateElement(), r.getOnset());
    } else if (resource instanceof ServiceRequest r) {
      // authoredOn, not occurrence: when it was written, not when the wished-for appointment is.
      return first(r.getAuthoredOnElement());
    } else if (resource instanceof Procedure r) {
      return first(r.getPerformed());
    } else if (resource instanceof MedicationStatement r) {
      return first(r.getEffective(), r.getDateAssertedElement());
    } else if (resource instanceof MedicationRequest r) {
      return first(r.getAuthoredOnElement());
    } else if (resource instanceof MedicationDispense r) {
      return first(r.getWhenHandedOverElement(), r.getWhenPreparedElement());
    } else if (resource instanceof MedicationAdministration r) {
      return first(r.getEffective());
    } else if (resource instanceof AllergyIntolerance r) {
      return first(r.getRecordedDateElement(), r.getOnset());
    } else if (resource instanceof DiagnosticReport r) {
      return first(r.getEffective(), r.getIssuedElement());
    } else if (resource instanceof Immunization r) {
      return first(r.getOccurrence(), r.getRecordedElement());
    } else if (resource instanceof DocumentReference r) {
      return first(r.getDateElement());
    } else if (resource instanceof Encounter r) {
      return first(r.getPeriod());
    } else if (resource instanceof Appointment r) {
      return first(r.getStartElement());
    }
    return Optional.empty();
  }

  /** The first of the candidates that holds a date: a dateTime, instant, date or a period's start. */
  private static Optional<Instant> first(Type... candidates) {
    for (Type candidate : candidates) {
      Optional<Instant> at = Optional.empty();
      if (candidate instanceof BaseDateTimeType dateTime && dateTime.hasValue()) {
        at = instant(dateTime.getValueAsString());
      } else if (candidate instanceof Period period && period.hasStart()) {
        at = instant(period.getStartElement().getValueAsString());
      }
      if (at.isPresent()) {
        return at;
      }
    }
    return Optional.empty();
  }

  /**
   * The instant a FHIR date or dateTime string starts at. HAPI's own conversion uses the JVM's
   * default time zone for partial dates; this one does not depend on where the gateway runs.
   */
  static Optional<Instant> instant(String value) {
    try {
      if (value.contains("T")) {
        return Optional.of(withOffset(value).orElseGet(() -> LocalDateTime.parse(value).atZone(LOCAL).toInstant()));
      }
      return switch (value.length()) {
        case 4 -> Optional.of(Year.parse(value).atDay(1).atStartOfDay(LOCAL).toInstant());
        case 7 -> Optional.of(YearMonth.parse(value).atDay(1).atStartOfDay(LOCAL).toInstant());
        case 10 -> Optional.of(LocalDate.parse(value).atStartOfDay(LOCAL).toInstant());
        default -> Optional.empty();
      };
    } catch (DateTimeParseException unreadable) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> withOffset(String dateTime) {
    try {
      return Optional.of(OffsetDateTime.parse(dateTime).toInstant());
    } catch (DateTimeParseException noOffset) {
      return Optional.empty();
    }
  }

  private static Set<Code> complete(CodeableConcept concept) {
    return complete(concept.getCoding());
  }

  private static Set<Code> complete(List<? extends org.hl7.fhir.r4.model.Base> values) {
    Set<Code> codes = new LinkedHashSet<>();
    for (org.hl7.fhir.r4.model.Base value : values) {
      if (value instanceof Coding coding) {
        add(codes, coding);
      } else if (value instanceof CodeableConcept concept) {
        concept.getCoding().forEach(coding -> add(codes, coding));
      }
    }
    return codes;
  }

  /** Codings without both system and code cannot be matched against a consent: they are left out. */
  private static void add(Set<Code> codes, Coding coding) {
    if (coding.hasSystem() && coding.hasCode()) {
      codes.add(new Code(coding.getSystem(), coding.getCode()));
    }
  }
}
