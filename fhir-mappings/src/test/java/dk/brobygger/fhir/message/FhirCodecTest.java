package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class FhirCodecTest {

  private final FhirCodec codec = new FhirCodec();

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private Rejected rejectionOf(String body, FhirFormat format) {
    try {
      codec.parse(utf8(body), format, Patient.class);
    } catch (Rejected r) {
      return r;
    }
    throw new AssertionError("expected a rejection of " + body);
  }

  @Test
  void jsonAndXmlOfTheSameBundleParseToTheSameCanonicalJson() {
    Bundle fromJson = codec.parse(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON, Bundle.class);
    Bundle fromXml = codec.parse(Samples.bytes("referral-to-gp.xml"), FhirFormat.XML, Bundle.class);

    assertThat(codec.canonicalJson(fromXml)).isEqualTo(codec.canonicalJson(fromJson));
  }

  @Test
  void entryIdsAreKeptAsSentRatherThanReplacedByTheFullUrl() {
    Bundle bundle = codec.parse(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON, Bundle.class);

    assertThat(bundle.getEntryFirstRep().getResource().getIdElement().getIdPart())
        .isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
    assertThat(new String(codec.canonicalJson(bundle), StandardCharsets.UTF_8))
        .contains("\"resourceType\":\"MessageHeader\",\"id\":\"7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41\"");
  }

  @Test
  void canonicalJsonIsCompactUtf8AndStableAcrossARoundTrip() {
    byte[] first = codec.canonicalJson(codec.parse(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON, Bundle.class));
    byte[] second = codec.canonicalJson(codec.parse(first, FhirFormat.JSON, Bundle.class));

    assertThat(second).isEqualTo(first);
    String text = new String(first, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\n").contains("Lægerne ved Torvet");
  }

  @Test
  void prettyEncodingIsIndentedAndParsesBackToTheSameResource() {
    Bundle bundle = codec.parse(Samples.bytes("referral-to-gp.json"), FhirFormat.JSON, Bundle.class);

    for (FhirFormat format : FhirFormat.values()) {
      byte[] pretty = codec.encodePretty(bundle, format);
      assertThat(new String(pretty, StandardCharsets.UTF_8)).contains("\n  ");
      assertThat(codec.canonicalJson(codec.parse(pretty, format, Bundle.class))).isEqualTo(codec.canonicalJson(bundle));
    }
  }

  @Test
  void versionedReferencesKeepTheirVersion() {
    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference("Consent/c-17/_history/3"));

    String json = new String(codec.encode(provenance, FhirFormat.JSON), StandardCharsets.UTF_8);

    assertThat(json).contains("Consent/c-17/_history/3");
  }

  @Test
  void aByteOrderMarkIsTolerated() {
    Patient patient = codec.parse(utf8("\uFEFF{\"resourceType\":\"Patient\",\"active\":true}"), FhirFormat.JSON, Patient.class);

    assertThat(patient.getActive()).isTrue();
  }

  @Test
  void aSyntaxErrorIsMalformedWithLineAndColumn() {
    Rejected r = rejectionOf("{\"resourceType\":\"Patient\",\n \"active\": tru }", FhirFormat.JSON);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(r.diagnostics()).startsWith("invalid FHIR JSON at line 2, column 12: Unrecognized token 'tru'");
    assertThat(r.diagnostics()).doesNotContain("HAPI-");
  }

  @Test
  void anXmlSyntaxErrorIsMalformedWithLineAndColumn() {
    Rejected r = rejectionOf("<Patient xmlns=\"http://hl7.org/fhir\">\n<active value=\"true\"></Patient>", FhirFormat.XML);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(r.diagnostics()).startsWith("invalid FHIR XML at line 2, column").contains("Unexpected close tag");
  }

  @Test
  void anEmptyBodyIsMalformed() {
    Rejected r = rejectionOf("  ", FhirFormat.JSON);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(r.diagnostics()).isEqualTo("invalid FHIR JSON: the body is empty");
  }

  @Test
  void aBodyThatIsNotUtf8IsMalformed() {
    try {
      codec.parse(new byte[] {'{', (byte) 0xC3, '}'}, FhirFormat.JSON, Patient.class);
      throw new AssertionError("expected a rejection");
    } catch (Rejected r) {
      assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
      assertThat(r.diagnostics()).isEqualTo("invalid FHIR JSON: the body is not UTF-8");
    }
  }

  @Test
  void anUnknownResourceTypeIsMalformed() {
    Rejected r = rejectionOf("{\"resourceType\":\"Nope\"}", FhirFormat.JSON);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(r.diagnostics()).contains("Unknown resource name \"Nope\"");
  }

  @Test
  void anUnknownJsonElementIsMalformedAndLocatedByItsPath() {
    byte[] body = Samples.bytes("referral-to-gp.json");
    String misspelt = new String(body, StandardCharsets.UTF_8).replace("\"family\": \"Testesen\"", "\"famly\": \"Testesen\"");

    assertThatThrownBy(() -> codec.parse(utf8(misspelt), FhirFormat.JSON, Bundle.class))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
          assertThat(r.diagnostics())
              .isEqualTo("invalid FHIR JSON at Bundle.entry[3].resource.name[0].famly: unknown element 'famly'");
        });
  }

  @Test
  void anInvalidJsonValueIsInvalidAndLocatedByItsPath() {
    String body = new String(Samples.bytes("referral-to-gp.json"), StandardCharsets.UTF_8)
        .replace("\"gender\": \"male\"", "\"gender\": \"mand\"");

    assertThatThrownBy(() -> codec.parse(utf8(body), FhirFormat.JSON, Bundle.class))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).isEqualTo(
              "invalid FHIR JSON at Bundle.entry[3].resource.gender: invalid value: Unknown AdministrativeGender code 'mand'");
        });
  }

  @Test
  void aJsonElementOfTheWrongShapeIsMalformed() {
    Rejected r = rejectionOf("{\"resourceType\":\"Patient\",\"name\":{\"family\":\"x\"}}", FhirFormat.JSON);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(r.diagnostics()).isEqualTo(
        "invalid FHIR JSON at Patient.name: element 'name' must be a JSON array, found a JSON object");
  }

  @Test
  void anUnknownXmlElementIsMalformedWithLineAndColumn() {
    Rejected r = rejectionOf("<Patient xmlns=\"http://hl7.org/fhir\">\n  <foo value=\"1\"/>\n</Patient>", FhirFormat.XML);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(r.diagnostics()).matches("invalid FHIR XML at line 2, column \\d+: unknown element 'foo'");
  }

  @Test
  void anInvalidXmlValueIsInvalid() {
    Rejected r = rejectionOf("<Patient xmlns=\"http://hl7.org/fhir\"><birthDate value=\"19x0\"/></Patient>", FhirFormat.XML);

    assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
    assertThat(r.diagnostics()).contains("invalid value: Invalid date/time format: \"19x0\"");
  }

  @Test
  void aResourceOfAnotherTypeIsInvalid() {
    assertThatThrownBy(() -> codec.parse(utf8("{\"resourceType\":\"Patient\"}"), FhirFormat.JSON, Bundle.class))
        .isInstanceOfSatisfying(Rejected.class, r -> {
          assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(r.diagnostics()).isEqualTo("expected a Bundle, got Patient");
        });
  }

  @Test
  void longParserMessagesAreShortened() {
    String body = "{\"resourceType\":\"Patient\",\"active\": " + "x".repeat(5000) + "}";

    Rejected r = rejectionOf(body, FhirFormat.JSON);

    assertThat(r.diagnostics().length()).isLessThan(300);
  }

  @Test
  void oneCodecServesManyThreadsAtOnce() throws Exception {
    byte[] body = Samples.bytes("referral-to-gp.json");
    byte[] expected = codec.canonicalJson(codec.parse(body, FhirFormat.JSON, Bundle.class));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        FhirFormat format = i % 2 == 0 ? FhirFormat.JSON : FhirFormat.XML;
        byte[] input = format == FhirFormat.JSON ? body : Samples.bytes("referral-to-gp.xml");
        results.add(pool.submit(() -> codec.canonicalJson(codec.parse(input, format, Bundle.class))));
      }
      for (Future<byte[]> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theMessageHeaderTypeIsAvailableAfterParsing() {
    Bundle bundle = codec.parse(Samples.bytes("referral-to-gp.xml"), FhirFormat.XML, Bundle.class);

    assertThat(bundle.getEntryFirstRep().getResource()).isInstanceOf(MessageHeader.class);
  }

  @org.junit.jupiter.api.Test
  void reEncodingAMessageWhoseEntriesHaveOnlyFullUrlsAddsNoContainedCopies() {
    org.hl7.fhir.r4.model.Bundle bundle = new org.hl7.fhir.r4.model.Bundle()
        .setType(org.hl7.fhir.r4.model.Bundle.BundleType.MESSAGE);
    org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
    patient.addName().setFamily("Hansen");
    org.hl7.fhir.r4.model.Condition condition = new org.hl7.fhir.r4.model.Condition();
    org.hl7.fhir.r4.model.Reference subject = new org.hl7.fhir.r4.model.Reference("urn:uuid:p1");
    subject.setResource(patient); // as the parser links in-bundle references
    condition.setSubject(subject);
    bundle.addEntry().setFullUrl("urn:uuid:c1").setResource(condition);
    bundle.addEntry().setFullUrl("urn:uuid:p1").setResource(patient);
    FhirCodec codec = new FhirCodec();

    String once = new String(codec.canonicalJson(bundle), java.nio.charset.StandardCharsets.UTF_8);
    String twice = new String(codec.canonicalJson(
        codec.parse(once.getBytes(java.nio.charset.StandardCharsets.UTF_8), FhirFormat.JSON,
            org.hl7.fhir.r4.model.Bundle.class)), java.nio.charset.StandardCharsets.UTF_8);

    org.assertj.core.api.Assertions.assertThat(once).doesNotContain("contained").contains("\"reference\":\"urn:uuid:p1\"");
    org.assertj.core.api.Assertions.assertThat(twice).isEqualTo(once);
  }
}
