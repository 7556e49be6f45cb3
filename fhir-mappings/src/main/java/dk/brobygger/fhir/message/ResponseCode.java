package dk.brobygger.fhir.message;

import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.r4.model.MessageHeader.ResponseType;

/**
 * MessageHeader.response.code: how the receiver of a message took it. MedCom uses the same three
 * codes for its acknowledgements, so a sender can tell "try again later" from "do not resend".
 */
public enum ResponseCode {
  OK("ok"),
  TRANSIENT_ERROR("transient-error"),
  FATAL_ERROR("fatal-error");

  /** The FHIR code system of these codes, also used in OperationOutcome.issue.details. */
  public static final String SYSTEM = "http://hl7.org/fhir/response-code";

  private final String code;

  ResponseCode(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static Optional<ResponseCode> ofCode(String code) {
    return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
  }

  ResponseType toFhir() {
    return ResponseType.fromCode(code);
  }

  static ResponseCode of(ResponseType type) {
    return ofCode(type.toCode()).orElseThrow(() -> new IllegalArgumentException("no response code " + type));
  }
}
