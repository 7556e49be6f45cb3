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
  APPOINTMENT_RESPONSE("appointment-response", "Appointment response", ResourceType.Appointment),
  /**
   * A receiver's asynchronous receipt of a message (MedCom style): MessageHeader.response says
   * which message and how it was taken. It carries no data of its own, so it has no focus.
   */
  ACKNOWLEDGEMENT("acknowledgement", "Acknowledgement", null);

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

  /** The event of a received message, e.g. to branch on {@link ReceivedMessage#event()}. */
  public static Optional<MessageEvent> of(Code code) {
    return Code.MESSAGE_EVENTS.equals(code.system()) ? ofCode(code.code()) : Optional.empty();
  }

  public Code code() {
    return new Code(Code.MESSAGE_EVENTS, code);
  }

  /** How diagnostics name it: "Referral rejected: ...". */
  public String label() {
    return label;
  }

  /** The type MessageHeader.focus must have; empty when the event has no focus. */
  public Optional<ResourceType> focusType() {
    return Optional.ofNullable(focusType);
  }
}
