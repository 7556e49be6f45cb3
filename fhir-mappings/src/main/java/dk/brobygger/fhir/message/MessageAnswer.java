package dk.brobygger.fhir.message;

import java.util.Objects;

/**
 * What a message says about the message it answers (MessageHeader.response): a recipient's
 * acknowledgement of our delivery, or an appointment response to our appointment request.
 *
 * @param messageId MessageHeader.id of the answered message (MessageHeader.response.identifier)
 * @param code how the answered message was taken (MessageHeader.response.code)
 */
public record MessageAnswer(String messageId, ResponseCode code) {

  /**
   * The identifier system of a MessageHeader.id when another resource names that message, as
   * Provenance.entity.what does for the message a message answers.
   */
  public static final String MESSAGE_ID = "https://brobygger.dk/sid/message-id";

  public MessageAnswer {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(code, "code");
  }
}
