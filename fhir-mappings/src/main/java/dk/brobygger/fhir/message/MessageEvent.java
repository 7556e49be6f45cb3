package dk.brobygger.fhir.message;

import dk.brobygger.fhir.Code;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.r4.model.ResourceType;

/**
 * The message events the gateway carries (MessageHeader.eventCoding, system
 * {@link Code#MESSAGE_EVENTS}), each with the resource type its focus must have. This is the one
 * list of them.
 */
public enum MessageEvent {
  REFERRAL("referral", "Referral", ResourceType.ServiceRequest),
  APPOINTMENT_REQUEST("appointment-request", "Appointment request", ResourceType.ServiceRequest),
  APPOINTMENT_RESPONSE("appointment-response", "Appointment response", ResourceType.Appointment);

  private final String code;
  private final String label;
  private final ResourceType focusType;

  MessageEvent(String code, String label, ResourceType focusType) {
    this.code = code;
    this.label = label;
    this.focusType = focusType;
  }

  public static Optional<MessageEvent> ofCode(String code) {
    return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst();
  }

  public Code code() {
    return new Code(Code.MESSAGE_EVENTS, code);
  }

  /** How diagnostics name it: "Referral rejected: ...". */
  public String label() {
    return label;
  }

  public ResourceType focusType() {
    return focusType;
  }
}
