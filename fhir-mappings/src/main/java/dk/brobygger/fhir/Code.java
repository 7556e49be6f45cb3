package dk.brobygger.fhir;

import java.util.Objects;

/**
 * A coded concept (system + code): a purpose of use, a data class (resource type), a security
 * label, a recipient kind or a clinical code. Equality is on system and code only.
 */
public record Code(String system, String code) {

  /** FHIR resource types, as used by Consent.provision.class. */
  public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
  /** HL7 v3 ActReason: purposes of use (TREAT, HPAYMT, ...). */
  public static final String PURPOSE_OF_USE = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  /** HL7 v3 ActCode: sensitivity labels (ETH, SUD, PSY, HIV, ...). */
  public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  /** HL7 v3 Confidentiality: N, R, V. */
  public static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
  /** Our recipient kinds: outreach, gp, hospital, addiction-centre, home-care, ... */
  public static final String RECIPIENT_KIND = "https://brobygger.dk/fhir/CodeSystem/recipient-kind";
  /** Our message events: referral, appointment-request, appointment-response, acknowledgement. */
  public static final String MESSAGE_EVENTS = "https://brobygger.dk/fhir/CodeSystem/message-events";

  /** The purpose of treatment, the default purpose of a referral. */
  public static final Code TREATMENT = new Code(PURPOSE_OF_USE, "TREAT");

  public Code {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(code, "code");
  }

  public static Code resourceType(String type) {
    return new Code(RESOURCE_TYPES, type);
  }

  public static Code recipientKind(String kind) {
    return new Code(RECIPIENT_KIND, kind);
  }

  @Override
  public String toString() {
    return system + "|" + code;
  }
}
