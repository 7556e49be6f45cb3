package dk.brobygger.gateway.console;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A referral or an appointment request the nurse is writing: to whom, why, a note, a diagnosis if
 * any (ICD-10), results from a health day (blood pressure, blood sugar, lung function), and for an
 * appointment request the wished-for days. It becomes the same FHIR message an outreach system would
 * POST to $process-message (event referral or appointment-request), and goes through the same ingress.
 *
 * @param citizen the identifier the referral names the citizen by
 * @param reason why (ServiceRequest.code.text)
 * @param note free text for the recipient
 * @param diagnosis an ICD-10 code (e.g. F10.2) with its text, if any
 * @param systolic mmHg, diastolic mmHg, bloodSugar mmol/L, fev1 litres; each optional
 * @param appointment present for an appointment request: the days the citizen can come
 */
public record ReferralDraft(CitizenIdentifier citizen, String reason, Optional<String> note, Optional<String> diagnosis,
    Optional<String> diagnosisText, Optional<BigDecimal> systolic, Optional<BigDecimal> diastolic,
    Optional<BigDecimal> bloodSugar, Optional<BigDecimal> fev1, Optional<AppointmentWish> appointment) {

  /** The form's value of "slags" for an appointment request (a referral sends none). */
  static final String APPOINTMENT = "tid";
  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

  /**
   * When the citizen can come, from the first to the last day (both included, Danish time), and
   * what the recipient should know about the time (e.g. "formiddag, han ledsages").
   */
  public record AppointmentWish(LocalDate from, LocalDate to, Optional<String> comment) {
    public AppointmentWish {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (to.isBefore(from)) {
        throw new Rejected(Rejected.Kind.INVALID, "Den sidste dag kan ikke ligge før den første");
      }
    }
  }

  private static final String SOR = "urn:oid:1.2.208.176.1.1";
  private static final String LOINC = "http://loinc.org";
  private static final String UCUM = "http://unitsofmeasure.org";

  public ReferralDraft {
    Objects.requireNonNull(citizen, "citizen");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(appointment, "appointment");
  }

  /** An empty referral (or appointment request) to ask the consent which recipients it may go to. */
  static ReferralDraft blank(CitizenIdentifier citizen, Optional<AppointmentWish> appointment) {
    return new ReferralDraft(citizen, appointment.isPresent() ? "Anmodning om tid" : "Henvisning", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        appointment);
  }

  public boolean isAppointmentRequest() {
    return appointment.isPresent();
  }

  static ReferralDraft fromForm(ConsoleRequest request, CitizenIdentifier citizen) {
    Optional<String> diagnosis = request.field("diagnose").map(code -> code.toUpperCase(java.util.Locale.ROOT));
    diagnosis.filter(code -> !code.matches("[A-Z][0-9]{2}(\\.[0-9]{1,2})?")).ifPresent(code -> {
      throw new Rejected(Rejected.Kind.INVALID, "Diagnosekoden \"" + code + "\" er ikke en ICD-10-kode som F10.2");
    });
    return new ReferralDraft(citizen, request.required("aarsag", "Årsag"), request.field("note"), diagnosis,
        request.field("diagnose-tekst"), number(request, "systolisk", "Blodtryk, systolisk", 40, 300),
        number(request, "diastolisk", "Blodtryk, diastolisk", 20, 200), number(request, "blodsukker", "Blodsukker", 0.5, 60),
        number(request, "fev1", "Lungefunktion (FEV1)", 0.1, 10), appointment(request));
  }

  private static Optional<AppointmentWish> appointment(ConsoleRequest request) {
    if (!request.field("slags").filter(APPOINTMENT::equals).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new AppointmentWish(day(request, "fra", "Første dag"), day(request, "til", "Sidste dag"),
        request.field("tid-note")));
  }

  private static LocalDate day(ConsoleRequest request, String field, String label) {
    String text = request.required(field, label);
    try {
      return LocalDate.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new Rejected(Rejected.Kind.INVALID, label + " skal være en dato som 2026-12-08");
    }
  }

  private static Optional<BigDecimal> number(ConsoleRequest request, String field, String label, double min, double max) {
    return request.field(field).map(text -> {
      try {
        BigDecimal value = new BigDecimal(text.replace(',', '.'));
        if (value.doubleValue() < min || value.doubleValue() > max) {
          throw new Rejected(Rejected.Kind.INVALID, label + " skal ligge mellem " + min + " og " + max);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new Rejected(Rejected.Kind.INVALID, label + " skal være et tal");
      }
    });
  }

  /** What the referral carries, in Danish, one line per resource (for the preview). */
  public List<String> contents() {
    List<String> lines = new ArrayList<>();
    lines.add((isAppointmentRequest() ? "Anmodning om tid: " : "Henvisning: ") + reason
        + note.map(n -> " (" + n + ")").orElse(""));
    appointment.ifPresent(wish -> lines.add("Ønsket tid: mellem " + DanishDates.day(wish.from()) + " og "
        + DanishDates.day(wish.to()) + wish.comment().map(c -> " (" + c + ")").orElse("")));
    diagnosis.ifPresent(code -> lines.add("Diagnose: " + code + diagnosisText.map(t -> " " + t).orElse("")));
    if (systolic.isPresent() || diastolic.isPresent()) {
      lines.add("Blodtryk: " + systolic.map(BigDecimal::toPlainString).orElse("?") + "/"
          + diastolic.map(BigDecimal::toPlainString).orElse("?") + " mmHg");
    }
    bloodSugar.ifPresent(v -> lines.add("Blodsukker: " + v.toPlainString() + " mmol/L"));
    fev1.ifPresent(v -> lines.add("Lungefunktion (FEV1): " + v.toPlainString() + " L"));
    return lines;
  }

  /** The FHIR message to the recipient, from the team, with a fresh message id. */
  public Bundle toFhir(Recipient team, Recipient recipient, Instant now) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE).setTimestamp(Date.from(now));
    String bundleId = UUID.randomUUID().toString();
    bundle.setId(bundleId);
    bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + bundleId));

    Organization sender = organisation(team);
    Organization receiver = organisation(recipient);
    Patient patient = new Patient();
    patient.setId(UUID.randomUUID().toString());
    patient.addIdentifier().setSystem(citizen.system()).setValue(citizen.value());

    ServiceRequest request = new ServiceRequest();
    request.setId(UUID.randomUUID().toString());
    request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    request.addCategory(new CodeableConcept(new Coding("http://snomed.info/sct", "3457005", "Patient referral")));
    request.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "306206005", "Referral to service")).setText(reason));
    request.setSubject(ref(patient)).setAuthoredOn(Date.from(now)).setRequester(ref(sender)).addPerformer(ref(receiver));
    note.ifPresent(text -> request.addNote(new Annotation().setText(text)));

    List<Resource> extra = new ArrayList<>();
    diagnosis.ifPresent(code -> {
      Condition condition = new Condition();
      condition.setId(UUID.randomUUID().toString());
      condition.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
      condition.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10", code, null))
          .setText(diagnosisText.orElse(code)));
      condition.setSubject(ref(patient));
      request.addReasonReference(ref(condition));
      extra.add(condition);
    });
    if (systolic.isPresent() || diastolic.isPresent()) {
      Observation pressure = observation(patient, now, "85354-9", "Blodtryk (sundhedsdag)");
      systolic.ifPresent(v -> pressure.addComponent().setCode(loinc("8480-6", "Systolic blood pressure"))
          .setValue(quantity(v, "mmHg", "mm[Hg]")));
      diastolic.ifPresent(v -> pressure.addComponent().setCode(loinc("8462-4", "Diastolic blood pressure"))
          .setValue(quantity(v, "mmHg", "mm[Hg]")));
      extra.add(pressure);
    }
    bloodSugar.ifPresent(v -> extra.add(observation(patient, now, "15074-8", "Blodsukker (sundhedsdag)")
        .setValue(quantity(v, "mmol/L", "mmol/L"))));
    fev1.ifPresent(v -> extra.add(observation(patient, now, "20150-9", "Lungefunktion, FEV1 (sundhedsdag)")
        .setValue(quantity(v, "L", "L"))));
    extra.stream().filter(Observation.class::isInstance).forEach(o -> request.addSupportingInfo(ref(o)));
    appointment.ifPresent(wish -> extra.add(proposed(wish, patient, request)));

    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.setEvent(isAppointmentRequest()
        ? new Coding(Code.MESSAGE_EVENTS, "appointment-request", "Anmodning om tid")
        : new Coding(Code.MESSAGE_EVENTS, "referral", "Henvisning"));
    header.addDestination().setName(recipient.name()).setEndpoint("https://brobygger.dk/recipients/" + recipient.id())
        .setReceiver(ref(receiver).setIdentifier(sor(recipient).map(v -> new Identifier().setSystem(SOR).setValue(v)).orElse(null)));
    header.setSender(ref(sender));
    header.getSource().setName(team.name()).setEndpoint("https://brobygger.dk/recipients/" + team.id());
    header.addFocus(ref(request));

    for (Resource resource : concat(List.of(header, sender, receiver, patient, request), extra)) {
      bundle.addEntry().setFullUrl("urn:uuid:" + resource.getIdElement().getIdPart()).setResource(resource);
    }
    return bundle;
  }

  /** The proposed Appointment of an appointment request: the citizen, the service asked for, the days. */
  private Appointment proposed(AppointmentWish wish, Patient patient, ServiceRequest request) {
    Appointment proposed = new Appointment();
    proposed.setId(UUID.randomUUID().toString());
    proposed.setStatus(Appointment.AppointmentStatus.PROPOSED);
    proposed.setDescription(reason);
    wish.comment().ifPresent(proposed::setComment);
    proposed.addBasedOn(ref(request));
    proposed.addReasonCode(new CodeableConcept().setText(reason));
    // the reason as text only: a reference to a diagnosis the consent keeps back would take the Appointment with it
    proposed.addParticipant().setActor(ref(patient)).setRequired(Appointment.ParticipantRequired.REQUIRED)
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    proposed.addRequestedPeriod(new Period()
        .setStart(Date.from(wish.from().atStartOfDay(DANISH_TIME).toInstant()))
        .setEnd(Date.from(wish.to().plusDays(1).atStartOfDay(DANISH_TIME).toInstant())));
    return proposed;
  }

  private static List<Resource> concat(List<Resource> a, List<Resource> b) {
    List<Resource> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Organization organisation(Recipient party) {
    Organization organisation = new Organization();
    organisation.setId(UUID.randomUUID().toString());
    organisation.setName(party.name());
    sor(party).ifPresent(value -> organisation.addIdentifier().setSystem(SOR).setValue(value));
    return organisation;
  }

  private static Optional<String> sor(Recipient party) {
    return party.identifiers().stream().filter(i -> SOR.equals(i.system())).map(OrganisationIdentifier::value).findFirst();
  }

  private static Observation observation(Patient patient, Instant now, String code, String text) {
    Observation observation = new Observation();
    observation.setId(UUID.randomUUID().toString());
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
        "vital-signs", "Vital Signs")));
    observation.setCode(loinc(code, null).setText(text));
    observation.setSubject(ref(patient));
    observation.setEffective(new org.hl7.fhir.r4.model.DateTimeType(Date.from(now)));
    return observation;
  }

  private static CodeableConcept loinc(String code, String display) {
    return new CodeableConcept(new Coding(LOINC, code, display));
  }

  private static Quantity quantity(BigDecimal value, String unit, String code) {
    return new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(code);
  }

  private static Reference ref(Resource resource) {
    return new Reference("urn:uuid:" + resource.getIdElement().getIdPart());
  }
}
