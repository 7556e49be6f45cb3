package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FhirFormatsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "application/fhir+json | JSON",
    "application/json | JSON",
    "application/fhir+json; charset=utf-8 | JSON",
    "Application/FHIR+JSON;charset=UTF-8 | JSON",
    "application/fhir+json; fhirVersion=4.0 | JSON",
    "application/fhir+xml | XML",
    "application/xml;charset=\"utf-8\" | XML",
    "text/xml | XML",
  })
  void aSupportedContentTypeGivesItsFormat(String header, FhirFormat expected) {
    assertThat(FhirFormats.ofContentType(header)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/fhir+turtle", "*/*"})
  void anUnsupportedContentTypeIsRejected(String header) {
    assertThatThrownBy(() -> FhirFormats.ofContentType(header))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE);
          assertThat(r.diagnostics())
              .isEqualTo("Content-Type '" + header + "' is not supported; use application/fhir+json or application/fhir+xml");
        });
  }

  @Test
  void aMissingContentTypeIsRejected() {
    assertThatThrownBy(() -> FhirFormats.ofContentType(" "))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE);
          assertThat(r.diagnostics()).startsWith("Content-Type is missing");
        });
  }

  @Test
  void aCharsetOtherThanUtf8IsRejected() {
    assertThatThrownBy(() -> FhirFormats.ofContentType("application/fhir+json; charset=ISO-8859-1"))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.UNSUPPORTED_MEDIA_TYPE);
          assertThat(r.diagnostics()).contains("charset 'iso-8859-1' is not supported");
        });
  }

  @ParameterizedTest(name = "_format={0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "json | JSON",
    "xml | XML",
    "application/fhir+json | JSON",
    "application/fhir json | JSON",
    "application/json | JSON",
    "application/fhir+xml | XML",
    "application/xml | XML",
    "text/xml | XML",
  })
  void theFormatParameterChoosesTheFormat(String format, FhirFormat expected) {
    assertThat(FhirFormats.negotiate(Optional.of(format), Optional.empty(), FhirFormat.JSON)).isEqualTo(expected);
  }

  @Test
  void theFormatParameterWinsOverAccept() {
    assertThat(FhirFormats.negotiate(Optional.of("xml"), Optional.of("application/fhir+json"), FhirFormat.JSON))
        .isEqualTo(FhirFormat.XML);
  }

  @Test
  void anUnsupportedFormatParameterIsNotAcceptableEvenWhenAcceptWouldDo() {
    assertThatThrownBy(() -> FhirFormats.negotiate(Optional.of("html"), Optional.of("*/*"), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.NOT_ACCEPTABLE);
          assertThat(r.diagnostics()).isEqualTo("_format 'html' is not supported; use json or xml");
        });
  }

  @Test
  void withoutFormatParameterOrAcceptTheFallbackIsUsed() {
    assertThat(FhirFormats.negotiate(Optional.empty(), Optional.empty(), FhirFormat.XML)).isEqualTo(FhirFormat.XML);
    assertThat(FhirFormats.negotiate(Optional.of(""), Optional.of("  "), FhirFormat.JSON)).isEqualTo(FhirFormat.JSON);
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "application/fhir+xml | XML",
    "application/fhir+json | JSON",
    "application/fhir+json, application/fhir+xml | JSON",
    "application/fhir+xml, application/fhir+json | XML",
    "application/fhir+json;q=0.5, application/fhir+xml | XML",
    "application/fhir+xml;q=0.1, */*;q=0.2 | JSON",
    "*/* | JSON",
    "application/* | JSON",
    "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8 | XML",
    "text/html, */*;q=0.8 | JSON",
    "application/fhir+xml;q=0, application/json;q=0.3 | JSON",
    "application/fhir+xml;q=abc, application/fhir+json | JSON",
  })
  void acceptIsHonouredByQualityWithWildcardsMeaningTheFallback(String accept, FhirFormat expected) {
    assertThat(FhirFormats.negotiate(Optional.empty(), Optional.of(accept), FhirFormat.JSON)).isEqualTo(expected);
  }

  @Test
  void aWildcardAnswersInTheFallbackFormat() {
    assertThat(FhirFormats.negotiate(Optional.empty(), Optional.of("*/*"), FhirFormat.XML)).isEqualTo(FhirFormat.XML);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/html", "application/pdf, image/png", "application/fhir+json;q=0"})
  void anAcceptWithNothingWeSpeakIsNotAcceptable(String accept) {
    assertThatThrownBy(() -> FhirFormats.negotiate(Optional.empty(), Optional.of(accept), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.NOT_ACCEPTABLE);
          assertThat(r.diagnostics()).contains("cannot be answered; use application/fhir+json or application/fhir+xml");
        });
  }
}
