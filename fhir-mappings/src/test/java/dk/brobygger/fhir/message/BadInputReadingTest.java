package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * Bodies that once made a 5xx, or that FHIR forbids but HAPI lets through, and the limits that
 * bound the work per message: each is refused with diagnostics that name what is wrong.
 */
class BadInputReadingTest {

  private final MessageReader reader = new MessageReader(Samples.CODEC, MessageReader.BaseValidation.DISABLED);

  private static String referralJson() {
    return new String(Samples.bytes("referral-to-gp.json"), StandardCharsets.UTF_8);
  }

  private static String referralXml() {
    return new String(Samples.bytes("referral-to-gp.xml"), StandardCharsets.UTF_8);
  }

  private static byte[] changed(UnaryOperator<Bundle> change) {
    return Samples.json(change.apply(Samples.bundle("referral-to-gp.json")));
  }

  private static Patient patient(Bundle bundle) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Patient.class::isInstance).map(Patient.class::cast).findFirst().orElseThrow();
  }

  private Rejected refusal(byte[] body, FhirFormat format) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> reader.read(body, format));
    assertThat(thrown).isInstanceOf(Rejected.class);
    return (Rejected) thrown;
  }

  private Rejected refusalJson(String body) {
    return refusal(body.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
  }

  private Rejected refusalXml(String body) {
    return refusal(body.getBytes(StandardCharsets.UTF_8), FhirFormat.XML);
  }

  @Test
  void aPatientIdentifierWithoutSystemIsSkippedNotACrash() {
    byte[] body = changed(b -> {
      patient(b).addIdentifier().setValue("no system here");
      return b;
    });

    assertThat(reader.read(body, FhirFormat.JSON).citizen()).hasSize(1);
  }

  @Test
  void aPatientWhoseOnlyIdentifierLostItsSystemIsRefused() {
    byte[] body = changed(b -> {
      patient(b).getIdentifier().forEach(i -> i.setSystem(null));
      return b;
    });

    assertThat(refusal(body, FhirFormat.JSON).diagnostics()).contains("Patient.identifier has no CPR");
  }

  @Test
  void aMessageHeaderIdThatIsNotAFhirIdIsRefusedAsWritten() {
    String json = referralJson().replaceFirst("\"id\": \"7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41\"", "\"id\": \"a/../b\"");
    assertThat(json).contains("a/../b");
    Rejected refused = refusalJson(json);
    assertThat(refused.kind()).isEqualTo(Rejected.Kind.INVALID);
    assertThat(refused.diagnostics()).contains("'a/../b' is not a valid FHIR id");

    String xml = referralXml().replaceFirst("<id value=\"7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41\"/>", "<id value=\"a/../b\"/>");
    assertThat(xml).contains("a/../b");
    assertThat(refusalXml(xml).diagnostics()).contains("'a/../b' is not a valid FHIR id");
  }

  @Test
  void aSecondMessageHeaderIsRefused() {
    byte[] body = changed(b -> {
      b.addEntry().setFullUrl("urn:uuid:11111111-2222-4333-8444-555555555555")
          .setResource(((MessageHeader) b.getEntryFirstRep().getResource()).copy().setId("second"));
      return b;
    });

    assertThat(refusal(body, FhirFormat.JSON).diagnostics()).contains("second MessageHeader");
  }

  @Test
  void jsonWithADuplicateKeyIsRefused() {
    String json = referralJson().replaceFirst("\"type\": \"message\",", "\"type\": \"message\", \"type\": \"collection\",");
    Rejected refused = refusalJson(json);
    assertThat(refused.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(refused.diagnostics()).contains("'type' repeats");
  }

  @Test
  void xmlWithADoctypeIsRefusedAndNothingIsFetched() {
    String internalEntity = "<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY team \"Gadesygeplejen\">]>"
        + referralXml().replaceFirst("<Bundle", "<Bundle");
    assertThat(refusalXml(internalEntity).diagnostics()).contains("DOCTYPE is not allowed");

    String externalDtd = "<!DOCTYPE Bundle SYSTEM \"http://127.0.0.1:9/never-fetched.dtd\">" + referralXml();
    assertThat(refusalXml(externalDtd).diagnostics()).contains("DOCTYPE is not allowed");
  }

  @Test
  void xmlWithAProcessingInstructionIsRefused() {
    String xml = referralXml().replaceFirst("<Bundle", "<?xml-stylesheet href=\"x.xsl\"?><Bundle");
    assertThat(refusalXml(xml).diagnostics()).contains("processing instruction is not allowed");
  }

  @Test
  void xmlOutsideTheFhirNamespaceIsRefused() {
    String noNamespace = referralXml().replaceFirst("<Bundle xmlns=\"http://hl7.org/fhir\">", "<Bundle>");
    assertThat(refusalXml(noNamespace).diagnostics()).contains("element 'Bundle' is in namespace ''");

    String foreignChild = referralXml().replaceFirst("<type value=\"message\"/>",
        "<type value=\"message\"/><x:note xmlns:x=\"urn:example\" value=\"y\"/>");
    assertThat(refusalXml(foreignChild).diagnostics()).contains("element 'note' is in namespace 'urn:example'");
  }

  @Test
  void theSampleXmlWithItsNarrativeIsStillRead() {
    assertThat(reader.read(Samples.bytes("referral-to-gp.xml"), FhirFormat.XML).messageId())
        .isEqualTo("7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41");
  }

  @Test
  void anIdentifierSystemOfAThousandOidArcsIsRefusedBeforeValidation() {
    String oid = "urn:oid:1" + ".2".repeat(1_000);
    byte[] body = changed(b -> {
      patient(b).addIdentifier().setSystem(oid).setValue("x");
      return b;
    });

    Rejected refused = refusal(body, FhirFormat.JSON);
    assertThat(refused.kind()).isEqualTo(Rejected.Kind.INVALID);
    assertThat(refused.diagnostics()).contains("URI").contains("at most " + InputLimits.MAX_URI_CHARS);
  }

  @Test
  void anIdentifierSystemOfAMegabyteIsRefusedNamingTheLimit() {
    String system = "urn:x:" + "a".repeat(1_000_000);
    byte[] body = changed(b -> {
      patient(b).addIdentifier().setSystem(system).setValue("x");
      return b;
    });

    Rejected refused = refusal(body, FhirFormat.JSON);
    assertThat(refused.kind()).isEqualTo(Rejected.Kind.INVALID);
    assertThat(refused.diagnostics()).contains("longer than " + InputLimits.MAX_STRING_CHARS);
  }

  @Test
  void aNumberTooLongForUcumIsRefused() {
    String json = referralJson().replaceFirst("\"value\": (\\d+)", "\"value\": 1" + "0".repeat(400));
    assertThat(json).contains("0".repeat(400));
    assertThat(refusalJson(json).diagnostics()).contains("number").contains(String.valueOf(InputLimits.MAX_NUMBER_CHARS));

    String xml = referralXml().replaceFirst("(<valueQuantity>\\s*<value value=\")(\\d+)", "$1" + "1" + "0".repeat(400));
    assertThat(xml).contains("0".repeat(400));
    assertThat(refusalXml(xml).diagnostics()).contains("decimal").contains(String.valueOf(InputLimits.MAX_NUMBER_CHARS));
  }

  @Test
  void moreEntriesThanTheLimitAreRefusedNamingIt() {
    byte[] body = changed(b -> {
      Observation observation = b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
          .filter(Observation.class::isInstance).map(Observation.class::cast).findFirst().orElseThrow();
      for (int i = 0; i < InputLimits.MAX_ENTRIES; i++) {
        b.addEntry().setFullUrl("urn:uuid:00000000-0000-4000-8000-%012d".formatted(i)).setResource(observation.copy());
      }
      return b;
    });

    assertThat(refusal(body, FhirFormat.JSON).diagnostics()).contains("at most " + InputLimits.MAX_ENTRIES);
  }

  @Test
  void moreIdentifiersThanTheLimitAreRefusedNamingIt() {
    byte[] body = changed(b -> {
      for (int i = 0; i <= InputLimits.MAX_IDENTIFIERS; i++) {
        patient(b).addIdentifier().setSystem("urn:x:case").setValue("case-" + i);
      }
      return b;
    });

    assertThat(refusal(body, FhirFormat.JSON).diagnostics())
        .contains("Patient").contains("at most " + InputLimits.MAX_IDENTIFIERS + " per resource");
  }

  @Test
  void deepNestingIsRefusedNamingTheLimit() {
    String deep = "[".repeat(500) + "]".repeat(500);
    String json = referralJson().replaceFirst("\"type\": \"message\",", "\"type\": \"message\", \"x\": " + deep + ",");
    assertThat(refusalJson(json).diagnostics()).contains("nested deeper than " + InputLimits.MAX_DEPTH);
  }

  @Test
  void aBodyOfTooManyValuesIsRefusedNamingTheLimit() {
    String many = "[" + "1,".repeat(InputLimits.MAX_VALUES) + "1]";
    String json = referralJson().replaceFirst("\"type\": \"message\",", "\"type\": \"message\", \"x\": " + many + ",");
    assertThat(refusalJson(json).diagnostics()).contains("more than " + InputLimits.MAX_VALUES + " values");
  }

  @Test
  void aNumberWhereFhirHasAStringIsRefusedThoughHapiWouldTakeIt() {
    String json = referralJson().replaceFirst("\"display\": \"[^\"]*\"", "\"display\": 12345");
    assertThat(json).contains("12345");
    Rejected refused = refusalJson(json);
    assertThat(refused.kind()).isEqualTo(Rejected.Kind.MALFORMED);
    assertThat(refused.diagnostics()).contains("display: element must be a JSON string, found a JSON number");
  }

  @Test
  void aStringWhereFhirHasANumberOrBooleanIsRefused() {
    String json = referralJson().replaceFirst("\"value\": (\\d+)", "\"value\": \"$1\"");
    assertThat(refusalJson(json).diagnostics()).contains("must be a JSON number, found a JSON string");
  }

  @Test
  void aSyntaxErrorIsStillLocatedByTheParser() {
    assertThatThrownBy(() -> reader.read("{\"resourceType\": \"Bundle\", ".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.MALFORMED));
  }
}
