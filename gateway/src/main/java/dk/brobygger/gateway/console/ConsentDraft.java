package dk.brobygger.gateway.console;

import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * What the nurse recorded with the citizen, before it becomes the FHIR Consent the API takes: yes
 * or no per recipient, the purpose, the kinds of information kept back, and until when. It reads
 * itself aloud in plain Danish (the preview and the receipt say the same).
 *
 * @param citizen the identifier the consent is recorded under
 * @param answers recipient -> yes (true) or no (false), in directory order
 * @param purpose a purpose of use code (TREAT, CAREMGT)
 * @param keptBack security labels of the information kept back from everyone (SUD, PSY, HIV)
 * @param validUntil the last day it is valid
 */
public record ConsentDraft(CitizenIdentifier citizen, Map<Recipient, Boolean> answers, String purpose,
    List<String> keptBack, LocalDate validUntil) {

  static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");
  /** Purposes a nurse chooses from, in plain Danish. */
  static final Map<String, String> PURPOSES = orderedMap(
      "TREAT", "Behandling og pleje",
      "CAREMGT", "Koordinering af forløbet mellem behandlere");
  /** Kinds of information a citizen may keep back, as the sensitivity labels name them. */
  static final Map<String, String> SENSITIVE = orderedMap(
      "SUD", "Alkohol og stoffer",
      "PSY", "Psykiatri",
      "HIV", "HIV");

  public ConsentDraft {
    Objects.requireNonNull(citizen, "citizen");
    answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    Objects.requireNonNull(purpose, "purpose");
    keptBack = List.copyOf(keptBack);
    Objects.requireNonNull(validUntil, "validUntil");
  }

  /** The form's fields: svar-{recipient id} = ja/nej, formaal, tilbagehold (repeated), gyldig-til. */
  static ConsentDraft fromForm(ConsoleRequest request, CitizenIdentifier citizen, List<Recipient> recipients, LocalDate today) {
    Map<Recipient, Boolean> answers = new LinkedHashMap<>();
    for (Recipient recipient : recipients) {
      String answer = request.field("svar-" + recipient.id()).orElseThrow(() -> new Rejected(Rejected.Kind.INVALID,
          "Svar ja eller nej for " + recipient.name()));
      answers.put(recipient, "ja".equals(answer));
    }
    String purpose = request.field("formaal").filter(PURPOSES::containsKey)
        .orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Vælg et formål"));
    List<String> keptBack = request.fields("tilbagehold").stream().filter(SENSITIVE::containsKey).distinct().toList();
    LocalDate until;
    try {
      until = LocalDate.parse(request.required("gyldig-til", "Gyldigt til"));
    } catch (DateTimeParseException e) {
      throw new Rejected(Rejected.Kind.INVALID, "\"Gyldigt til\" skal være en dato (åååå-mm-dd)");
    }
    if (!until.isAfter(today) || until.isAfter(today.plusYears(5))) {
      throw new Rejected(Rejected.Kind.INVALID, "\"Gyldigt til\" skal ligge efter i dag og højst fem år frem");
    }
    return new ConsentDraft(citizen, answers, purpose, keptBack, until);
  }

  public List<Recipient> permitted() {
    return answers.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  public List<Recipient> refused() {
    return answers.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
  }

  public String purposeDanish() {
    return PURPOSES.get(purpose);
  }

  public List<String> keptBackDanish() {
    return keptBack.stream().map(SENSITIVE::get).toList();
  }

  /** The consent in plain Danish, sentence by sentence, to be read aloud to the citizen. */
  public List<String> sentences() {
    List<String> sentences = new ArrayList<>();
    if (permitted().isEmpty()) {
      sentences.add("Du siger nej til at give oplysninger videre til nogen.");
    } else {
      sentences.add("Du siger ja til, at gadesygeplejen må sende oplysninger om dig til: "
          + String.join(", ", permitted().stream().map(Recipient::name).toList()) + ".");
    }
    if (!refused().isEmpty()) {
      sentences.add("Du siger nej til: " + String.join(", ", refused().stream().map(Recipient::name).toList())
          + ". De får intet at vide fra os.");
    }
    sentences.add("Formålet er: " + purposeDanish().toLowerCase(java.util.Locale.ROOT) + ".");
    if (keptBack.isEmpty()) {
      sentences.add("Du holder ingen slags oplysninger tilbage.");
    } else {
      sentences.add("Oplysninger om " + String.join(" og ", keptBackDanish()).toLowerCase(java.util.Locale.ROOT)
          + " bliver aldrig sendt, heller ikke til dem du siger ja til.");
    }
    sentences.add("Samtykket gælder til og med " + DanishDates.day(validUntil) + ".");
    sentences.add("Du kan når som helst trække samtykket tilbage ved at sige det til gadesygeplejen. "
        + "Så bliver det, der endnu ikke er sendt, heller ikke sendt.");
    return sentences;
  }

  /** The FHIR Consent, in the shape the API takes (README, "Consent"). */
  public Consent toFhir(String teamName, java.time.Instant now) {
    Consent consent = new Consent();
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(citizen.system()).setValue(citizen.value())));
    consent.setDateTime(Date.from(now));
    consent.addPerformer().setDisplay(teamName);
    consent.setPolicyRule(new CodeableConcept(new Coding(Code.ACT_CODE, "OPTIN", null)));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new Period().setStart(Date.from(now))
        .setEnd(Date.from(validUntil.plusDays(1).atStartOfDay(DANISH_TIME).toInstant())));
    provision.addPurpose(new Coding(Code.PURPOSE_OF_USE, purpose, null));
    permitted().forEach(recipient -> addRecipient(provision, recipient));
    if (!refused().isEmpty()) {
      Consent.ProvisionComponent no = provision.addProvision().setType(Consent.ConsentProvisionType.DENY);
      refused().forEach(recipient -> addRecipient(no, recipient));
    }
    if (!keptBack.isEmpty()) {
      Consent.ProvisionComponent withheld = provision.addProvision().setType(Consent.ConsentProvisionType.DENY);
      keptBack.forEach(label -> withheld.addSecurityLabel(new Coding(Code.ACT_CODE, label, SENSITIVE.get(label))));
    }
    return consent;
  }

  private static void addRecipient(Consent.ProvisionComponent provision, Recipient recipient) {
    provision.addActor()
        .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
        .setReference(new Reference("Organization/" + recipient.id()).setDisplay(recipient.name()));
  }

  /** A stored consent read back (for the receipt): the same sentences as the preview. */
  static ConsentDraft fromFhir(Consent consent, CitizenIdentifier citizen, java.util.function.Function<String, Optional<Recipient>> directory) {
    Map<Recipient, Boolean> answers = new LinkedHashMap<>();
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.getActor().forEach(actor -> recipientOf(actor, directory).ifPresent(r -> answers.put(r, true)));
    List<String> keptBack = new ArrayList<>();
    for (Consent.ProvisionComponent nested : provision.getProvision()) {
      nested.getActor().forEach(actor -> recipientOf(actor, directory).ifPresent(r -> answers.put(r, false)));
      nested.getSecurityLabel().forEach(label -> keptBack.add(label.getCode()));
    }
    String purpose = provision.getPurpose().stream().map(Coding::getCode).filter(PURPOSES::containsKey).findFirst().orElse("TREAT");
    return new ConsentDraft(citizen, answers, purpose, keptBack.stream().filter(SENSITIVE::containsKey).toList(),
        lastDay(consent).orElse(LocalDate.MAX));
  }

  private static Optional<Recipient> recipientOf(Consent.provisionActorComponent actor,
      java.util.function.Function<String, Optional<Recipient>> directory) {
    String reference = actor.getReference().getReference();
    return reference != null && reference.startsWith("Organization/")
        ? directory.apply(reference.substring("Organization/".length())) : Optional.empty();
  }

  /** The last day a stored consent is valid. */
  static Optional<LocalDate> lastDay(Consent consent) {
    return Optional.ofNullable(consent.getProvision().getPeriod().getEnd())
        .map(end -> end.toInstant().atZone(DANISH_TIME).toLocalDate().minusDays(1));
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
