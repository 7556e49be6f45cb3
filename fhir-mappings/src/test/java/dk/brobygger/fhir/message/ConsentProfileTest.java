package dk.brobygger.fhir.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.fhir.Rejected;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

class ConsentProfileTest {

  private static Consent sample() {
    return Samples.CODEC.parse(Samples.resource(Samples.EXAMPLES + "consent-yes-gp-no-addiction-centre.json"), FhirFormat.JSON,
        Consent.class);
  }

  @Test
  void theReadmesSampleConsentConformsWithoutDeclaringTheProfile() {
    Consent consent = sample();
    consent.getMeta().getProfile().clear();

    ConsentProfile.validate(consent);
  }

  @Test
  void aConsentWithoutPolicyOrPolicyRuleIsRefusedNamingTheRuleOfFhirR4() {
    Consent consent = sample();
    consent.setPolicyRule(null);
    consent.getPolicy().clear();

    assertThatThrownBy(() -> ConsentProfile.validate(consent))
        .isInstanceOfSatisfying(Rejected.class, rejected -> {
          assertThat(rejected.kind()).isEqualTo(Rejected.Kind.INVALID);
          assertThat(rejected.diagnostics()).startsWith("Consent rejected: ").contains("ppc-1");
        });
  }

  @Test
  void aNestedProvisionWithoutTypeIsRefusedByTheProfilesOwnRule() {
    Consent consent = sample();
    consent.getProvision().addProvision().addPurpose().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActReason")
        .setCode("TREAT");

    assertThatThrownBy(() -> ConsentProfile.validate(consent))
        .isInstanceOfSatisfying(Rejected.class, rejected -> assertThat(rejected.diagnostics()).contains("bro-con-2"));
  }
}
