package dk.brobygger.gateway.e2e;

import ca.uhn.fhir.context.FhirContext;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Consents and referrals as an outreach team's system would send them. */
final class Fixtures {

  /**
   * The tests' own context: it must not auto-contain bundle-internal reference targets when
   * re-encoding an edited message (that would smuggle copies into the MessageHeader), and it must
   * not change the parser options of the cached context the gateway shares in this JVM.
   */
  static final FhirContext FHIR = sendersContext();

  private static FhirContext sendersContext() {
    FhirContext context = FhirContext.forR4();
    context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    return context;
  }
  static final String CPR = "0101801234";
  static final String SOR = "urn:oid:1.2.208.176.1.1";
  static final String GP_SOR = "123451000016008";
  static final String HOSPITAL_SOR = "663101000016005";
  static final String ADDICTION_CENTRE_SOR = "447101000016003";

  private Fixtures() {}

  /** An active consent of the citizen permitting disclosure for treatment to the given recipients. */
  static Consent consentPermitting(Instant from, Instant until, Reference... recipients) {
    Consent consent = new Consent();
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(CitizenIdentifier.CPR).setValue(CPR)));
    consent.setDateTime(Date.from(from));
    consent.setPolicyRule(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in")));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new Period().setStart(Date.from(from)).setEnd(Date.from(until)));
    for (Reference recipient : recipients) {
      provision.addActor()
          .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
          .setReference(recipient);
    }
    provision.addPurpose(new Coding(Code.PURPOSE_OF_USE, "TREAT", "treatment"));
    return consent;
  }

  static Consent consentPermitting(Reference... recipients) {
    Instant now = Instant.now();
    return consentPermitting(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), recipients);
  }

  static Reference organisation(String sor) {
    return new Reference().setIdentifier(new Identifier().setSystem(SOR).setValue(sor));
  }

  /** Records the consent through the API (asserting 201) and returns its id. */
  static String recordConsent(TestGateway gateway, Consent consent) {
    java.net.http.HttpResponse<String> created = gateway.post("/Consent", "application/fhir+json",
        json(consent).getBytes(StandardCharsets.UTF_8));
    org.assertj.core.api.Assertions.assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return FHIR.newJsonParser().parseResource(Consent.class, created.body()).getIdElement().getIdPart();
  }

  /** Withdraws the consent through the API, as the outreach team does: its current version, set inactive. */
  static java.net.http.HttpResponse<String> withdraw(TestGateway gateway, String consentId) {
    Consent current = FHIR.newJsonParser().parseResource(Consent.class, gateway.get("/Consent/" + consentId).body());
    current.setStatus(Consent.ConsentState.INACTIVE);
    return gateway.put("/Consent/" + consentId, "application/fhir+json", json(current));
  }

  static String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    return FHIR.newJsonParser().encodeResourceToString(resource);
  }

  /** A sample message or consent of docs/examples (the README's files), from the class path (fhir-mappings). */
  static byte[] example(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/dk/brobygger/fhir/examples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no example " + name + " in docs/examples");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample referral, with a fresh message id, addressed to the organisation with this SOR code. */
  static Bundle referralTo(String sor) {
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, new String(example("referral-to-gp.json"), StandardCharsets.UTF_8));
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    header.setId(UUID.randomUUID().toString());
    MessageHeader.MessageDestinationComponent destination = header.getDestinationFirstRep();
    Reference receiver = destination.getReceiver();
    if (receiver.hasReference()) {
      // the sample points at an Organization entry: re-address that entry
      String target = receiver.getReference();
      bundle.getEntry().stream()
          .filter(e -> e.getFullUrl().equals(target) || (e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()).equals(target))
          .findFirst()
          .map(e -> (org.hl7.fhir.r4.model.Organization) e.getResource())
          .ifPresent(org -> org.getIdentifier().clear());
      bundle.getEntry().stream()
          .filter(e -> e.getFullUrl().equals(target))
          .findFirst()
          .map(e -> (org.hl7.fhir.r4.model.Organization) e.getResource())
          .ifPresent(org -> org.addIdentifier().setSystem(SOR).setValue(sor));
    }
    receiver.setIdentifier(new Identifier().setSystem(SOR).setValue(sor));
    return bundle;
  }

  static String messageId(Bundle message) {
    return message.getEntryFirstRep().getResource().getIdElement().getIdPart();
  }

  static byte[] bytes(Bundle bundle) {
    return FHIR.newJsonParser().encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The Task carried by a $process-message answer (a messaging response Bundle): the entry its
   * MessageHeader.focus names, which is also where the Location header points.
   */
  static org.hl7.fhir.r4.model.Task taskOf(java.net.http.HttpResponse<String> answer) {
    Bundle response = FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
    MessageHeader header = (MessageHeader) response.getEntryFirstRep().getResource();
    String focus = header.getFocusFirstRep().getReference();
    org.hl7.fhir.r4.model.Task task = response.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(org.hl7.fhir.r4.model.Task.class::isInstance)
        .map(org.hl7.fhir.r4.model.Task.class::cast)
        .findFirst().orElseThrow(() -> new AssertionError("no Task in the answer: " + answer.body()));
    if (!focus.equals("Task/" + task.getIdElement().getIdPart())) {
      throw new AssertionError("the answer's focus " + focus + " is not its Task " + task.getIdElement().getIdPart());
    }
    return task;
  }
}
