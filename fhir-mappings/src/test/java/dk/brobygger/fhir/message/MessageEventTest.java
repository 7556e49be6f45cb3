package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.Code;
import org.hl7.fhir.r4.model.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageEventTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(MessageEvent.class)
  void everyEventIsFoundByItsOwnCode(MessageEvent event) {
    assertThat(MessageEvent.of(event.code())).contains(event);
    assertThat(MessageEvent.ofCode(event.code().code())).contains(event);
  }

  @Test
  void theSameCodeInAnotherSystemIsNoEvent() {
    assertThat(MessageEvent.of(new Code("http://example.org/events", "referral"))).isEmpty();
  }

  @Test
  void onlyTheAcknowledgementHasNoFocus() {
    assertThat(MessageEvent.ACKNOWLEDGEMENT.focusType()).isEmpty();
    assertThat(MessageEvent.APPOINTMENT_RESPONSE.focusType()).contains(ResourceType.Appointment);
    assertThat(MessageEvent.APPOINTMENT_REQUEST.focusType()).contains(ResourceType.ServiceRequest);
    assertThat(MessageEvent.REFERRAL.focusType()).contains(ResourceType.ServiceRequest);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ResponseCode.class)
  void everyResponseCodeIsFoundByItsFhirCode(ResponseCode code) {
    assertThat(ResponseCode.ofCode(code.code())).contains(code);
    assertThat(ResponseCode.of(code.toFhir())).isEqualTo(code);
  }

  @Test
  void anUnknownResponseCodeIsNone() {
    assertThat(ResponseCode.ofCode("maybe")).isEmpty();
  }
}
