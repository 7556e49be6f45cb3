package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.Failed;
import dk.brobygger.fhir.Rejected;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OperationOutcomesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "MALFORMED, structure",
    "INVALID, invalid",
    "UNSUPPORTED_MEDIA_TYPE, not-supported",
    "NOT_ACCEPTABLE, not-supported",
    "TOO_LARGE, too-costly",
    "NOT_FOUND, not-found",
    "METHOD_NOT_ALLOWED, not-supported",
    "CONFLICT, conflict",
    "UNAUTHENTICATED, login",
    "FORBIDDEN, forbidden",
    "CONSENT_DENIED, suppressed",
  })
  void aRefusalIsOneErrorIssueWithTheCodeOfItsKind(Rejected.Kind kind, String code) {
    OperationOutcome outcome = OperationOutcomes.rejected(new Rejected(kind, "Referral rejected: something"));

    assertThat(outcome.getIssue()).hasSize(1);
    OperationOutcome.OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
    assertThat(issue.getCode().toCode()).isEqualTo(code);
    assertThat(issue.getDiagnostics()).isEqualTo("Referral rejected: something");
  }

  @Test
  void aTransientFailureIsFatalAndTransientWithGenericDiagnostics() {
    OperationOutcome outcome = OperationOutcomes.failed(new Failed("the audit log is unavailable", new IllegalStateException("db")));

    OperationOutcome.OperationOutcomeIssueComponent issue = outcome.getIssueFirstRep();
    assertThat(outcome.getIssue()).hasSize(1);
    assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.FATAL);
    assertThat(issue.getCode()).isEqualTo(IssueType.TRANSIENT);
    assertThat(issue.getDiagnostics()).isEqualTo("Processing failed; nothing was accepted: the audit log is unavailable");
  }

  @Test
  void aPermanentFailureIsAnException() {
    OperationOutcome outcome = OperationOutcomes.failed(new Failed("signing key missing", null, false));

    assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.EXCEPTION);
    assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(IssueSeverity.FATAL);
  }

  @Test
  void theCauseOfAFailureNeverReachesTheOutcome() {
    OperationOutcome outcome = OperationOutcomes.failed(new Failed("", new IllegalStateException("jdbc:h2:/secret/path")));

    assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo("Processing failed; nothing was accepted");
    String encoded = new String(new FhirCodec().encode(outcome, FhirFormat.JSON), StandardCharsets.UTF_8);
    assertThat(encoded).doesNotContain("secret");
  }

  @Test
  void informationIsOneInformationalIssue() {
    OperationOutcome outcome = OperationOutcomes.information("Consent withdrawn");

    assertThat(outcome.getIssue()).hasSize(1);
    assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(IssueSeverity.INFORMATION);
    assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(IssueType.INFORMATIONAL);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo("Consent withdrawn");
  }

  @Test
  void anOutcomeEncodesAsAnOperationOutcomeResource() {
    byte[] json = new FhirCodec().encode(OperationOutcomes.rejected(
        new Rejected(Rejected.Kind.CONSENT_DENIED, "Referral rejected: no consent permits this disclosure")), FhirFormat.JSON);

    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
        "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"suppressed\","
            + "\"details\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/response-code\",\"code\":\"fatal-error\"}]},"
            + "\"diagnostics\":\"Referral rejected: no consent permits this disclosure\"}]}");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Rejected.Kind.class)
  void everyRefusalTellsAMessagingClientNotToResend(Rejected.Kind kind) {
    OperationOutcome outcome = OperationOutcomes.rejected(new Rejected(kind, "Referral rejected: something"));

    assertThat(outcome.getIssueFirstRep().getDetails().getCoding())
        .singleElement()
        .satisfies(coding -> {
          assertThat(coding.getSystem()).isEqualTo("http://hl7.org/fhir/response-code");
          assertThat(coding.getCode()).isEqualTo("fatal-error");
        });
    assertThat(OperationOutcomes.responseCode(outcome)).contains(ResponseCode.FATAL_ERROR);
  }

  @Test
  void aTransientFailureTellsAMessagingClientToResendLater() {
    OperationOutcome outcome = OperationOutcomes.failed(new Failed("the database is busy", null, true));

    assertThat(outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("transient-error");
    assertThat(OperationOutcomes.responseCode(outcome)).contains(ResponseCode.TRANSIENT_ERROR);
  }

  @Test
  void aPermanentFailureTellsAMessagingClientNotToResend() {
    OperationOutcome outcome = OperationOutcomes.failed(new Failed("signing key missing", null, false));

    assertThat(OperationOutcomes.responseCode(outcome)).contains(ResponseCode.FATAL_ERROR);
  }

  @Test
  void informationCarriesNoResponseCode() {
    OperationOutcome outcome = OperationOutcomes.information("Consent withdrawn");

    assertThat(outcome.getIssueFirstRep().hasDetails()).isFalse();
    assertThat(OperationOutcomes.responseCode(outcome)).isEmpty();
  }
}
