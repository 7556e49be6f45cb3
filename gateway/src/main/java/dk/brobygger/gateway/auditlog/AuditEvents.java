package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.auditlog.entries.AuditEntry;
import dk.brobygger.gateway.auditlog.entries.AuditEvent.DisclosureSending;
import dk.brobygger.gateway.auditlog.entries.AuditOutcome;
import dk.brobygger.gateway.auditlog.entries.AuditOutcome.Severity;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import java.util.Date;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Audit log entries as FHIR AuditEvents shaped after IHE BALP: a consent decision follows the
 * AuthZconsent pattern (type DICOM 110113 Security Alert, subtype AuthZ-Consent, the consent version
 * it rests on and the patient as entities); consent changes and reads are RESTful events; a
 * disclosure attempt is a DICOM 110106 Export to the recipient; a refusal is a Security Alert; an
 * inbound message or acknowledgement is a DICOM 110107 Import, a citizen link a 110110 Patient
 * Record update, and handling an inbox item a RESTful update.
 */
final class AuditEvents {

  static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  static final String RESTFUL = "http://hl7.org/fhir/restful-interaction";
  static final String BALP_AUTHZ = "https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType";
  static final String AUTHZ_CONSENT_PROFILE =
      "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.AuthZconsent";
  static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  static final String MESSAGE_ID_SYSTEM = "https://brobygger.dk/sid/message-id";
  static final String ACTOR_SYSTEM = "https://brobygger.dk/sid/actor";
  static final String RECIPIENT_SYSTEM = "https://brobygger.dk/sid/recipient";

  /** Recorded outcomes that are a success (FHIR outcome 0). */
  static final Set<String> SUCCESS = AuditOutcome.codes(Severity.SUCCESS);
  /** Recorded outcomes that are a minor failure (4): refused or stopped, as designed. */
  static final Set<String> MINOR_FAILURE = AuditOutcome.codes(Severity.MINOR_FAILURE);
  /** Recorded outcomes that are a serious failure (8). */
  static final Set<String> SERIOUS_FAILURE = AuditOutcome.codes(Severity.SERIOUS_FAILURE);

  private AuditEvents() {}

  static AuditEventOutcome outcome(AuditOutcome recorded) {
    return switch (recorded.severity()) {
      case SUCCESS -> AuditEventOutcome._0;
      case MINOR_FAILURE -> AuditEventOutcome._4;
      case SERIOUS_FAILURE -> AuditEventOutcome._8;
    };
  }

  static AuditEvent of(StoredAuditEntry stored) {
    AuditEntry e = stored.entry();
    AuditEvent event = new AuditEvent();
    event.setId(Long.toString(stored.sequence()));
    event.setRecorded(Date.from(e.at()));
    event.setOutcome(outcome(e.outcome()));
    event.setOutcomeDesc(e.outcome().code() + (e.reasons().isEmpty() ? "" : ": " + String.join("; ", e.reasons())));
    event.getSource().setObserver(new Reference().setDisplay("Brobygger gateway")).setSite("brobygger");
    switch (e.action()) {
      case CONSENT_DECISION -> {
        event.getMeta().addProfile(AUTHZ_CONSENT_PROFILE);
        event.setType(new Coding(DICOM, "110113", "Security Alert"));
        event.addSubtype(new Coding(BALP_AUTHZ, "AuthZ-Consent", "Authorization Decision using Roles and Consent"));
        event.setAction(AuditEventAction.E);
      }
      case CONSENT_CREATED -> rest(event, "create", AuditEventAction.C);
      case CONSENT_CHANGED, CONSENT_WITHDRAWN, WITHDRAWAL_FENCED -> rest(event, "update", AuditEventAction.U);
      case CONSENT_READ -> rest(event, "read", AuditEventAction.R);
      case AUDIT_READ -> {
        event.setType(new Coding(DICOM, "110101", "Audit Log Used"));
        event.addSubtype(new Coding(RESTFUL, "search-type", "search-type"));
        event.setAction(AuditEventAction.R);
      }
      case DISCLOSURE_ATTEMPT -> {
        event.setType(new Coding(DICOM, "110106", "Export"));
        event.setAction(AuditEventAction.R);
      }
      case REQUEST_REFUSED -> {
        event.setType(new Coding(DICOM, "110113", "Security Alert"));
        event.setAction(AuditEventAction.E);
      }
      case CITIZEN_LINKED -> {
        event.setType(new Coding(DICOM, "110110", "Patient Record"));
        event.setAction(AuditEventAction.U);
      }
      case MESSAGE_RECEIVED, ACKNOWLEDGEMENT_RECEIVED -> {
        event.setType(new Coding(DICOM, "110107", "Import"));
        event.setAction(AuditEventAction.C);
      }
      case INBOX_HANDLED, DELIVERY_RERUN, DELIVERY_PAUSE -> rest(event, "update", AuditEventAction.U);
    }
    actor(event, e.actor());
    e.recipientId().ifPresent(recipient -> {
      AuditEventAgentComponent agent = event.addAgent();
      agent.setType(new CodeableConcept(new Coding(DICOM, "110152", "Destination Role ID")));
      agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(RECIPIENT_SYSTEM).setValue(recipient)));
      agent.setRequestor(false);
    });
    e.citizen().ifPresent(citizen -> patient(event, citizen));
    e.consent().ifPresent(consent -> {
      AuditEventEntityComponent entity = event.addEntity();
      entity.setWhat(new Reference("Consent/" + consent.consentId() + "/_history/" + consent.version()));
      entity.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
      entity.setName("consent");
    });
    e.messageId().ifPresent(messageId -> {
      AuditEventEntityComponent entity = event.addEntity();
      entity.setWhat(new Reference().setIdentifier(new Identifier().setSystem(MESSAGE_ID_SYSTEM).setValue(messageId)));
      entity.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
      entity.setName("message");
      e.attempt().ifPresent(attempt -> entity.addDetail().setType("attempt").setValue(
          new StringType(Integer.toString(attempt))));
      e.sentSha256().ifPresent(sha -> entity.addDetail().setType("sentSha256").setValue(
          new StringType(sha)));
      if (stored.event() instanceof DisclosureSending sending) {
        sending.classes().ifPresent(classes -> {
          entity.addDetail().setType("sent").setValue(new StringType(String.join(",", classes.sent())));
          entity.addDetail().setType("withheld").setValue(new StringType(String.join(",", classes.withheld())));
        });
      }
    });
    return event;
  }

  private static void rest(AuditEvent event, String interaction, AuditEventAction action) {
    event.setType(new Coding(EVENT_TYPE, "rest", "Restful Operation"));
    event.addSubtype(new Coding(RESTFUL, interaction, interaction));
    event.setAction(action);
  }

  /** The recorded actor "id@address": the requesting system, with its network address. */
  private static void actor(AuditEvent event, String actor) {
    int at = actor.lastIndexOf('@');
    AuditEventAgentComponent agent = event.addAgent();
    // Callers are systems (a team's record system, a GP system) and "gateway" is the gateway itself.
    agent.setType(new CodeableConcept(new Coding(DICOM, "110150", "Application")));
    agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(ACTOR_SYSTEM)
        .setValue(at < 0 ? actor : actor.substring(0, at))));
    agent.setRequestor(true);
    if (at >= 0) {
      agent.getNetwork().setAddress(actor.substring(at + 1)).setType(AuditEvent.AuditEventAgentNetworkType._2);
    }
  }

  private static void patient(AuditEvent event, CitizenIdentifier citizen) {
    AuditEventEntityComponent entity = event.addEntity();
    entity.setWhat(new Reference().setIdentifier(new Identifier().setSystem(citizen.system()).setValue(citizen.value())));
    entity.setType(new Coding(ENTITY_TYPE, "1", "Person"));
    entity.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
  }
}
