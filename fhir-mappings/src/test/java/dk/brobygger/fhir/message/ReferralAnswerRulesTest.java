package dk.brobygger.fhir.message;

import static dk.brobygger.fhir.message.ReadingFixtures.assertInvalid;
import static dk.brobygger.fhir.message.ReadingFixtures.header;
import static dk.brobygger.fhir.message.ReadingFixtures.readChanged;
import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader.ResponseType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Provenance.ProvenanceEntityRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** A referral answers nothing as a rule; when it does answer a message, it says so consistently. */
class ReferralAnswerRulesTest {

  private static final String SAMPLE = "referral-from-gp-to-outreach.json";
  private static final String SERVICE_REQUEST = "urn:uuid:2f4a6c8e-0b2d-4e6f-8a0c-3e5a7c9e1b46";
  private static final String CONDITION = "urn:uuid:7a9c1e3f-5b7d-4a9c-8e1f-3b5d7f9a1c59";
  private static final String GP = "urn:uuid:b2a7c4e1-8d3f-4a6b-9c5e-1f0d2e3a4b57";
  /** The outreach team's referral to the GP, which this GP referral answers in these tests. */
  private static final String ANSWERED = "7d3c1b9e-2f4a-4c8e-9a51-3e6f0b2d8c41";

  private static Provenance addProvenance(Bundle bundle, String target, String answered) {
    Provenance provenance = new Provenance();
    provenance.addTarget(new Reference(target));
    provenance.addAgent().setWho(new Reference(GP));
    provenance.addEntity().setRole(ProvenanceEntityRole.SOURCE).setWhat(new Reference().setIdentifier(
        new Identifier().setSystem(MessageAnswer.MESSAGE_ID).setValue(answered)));
    bundle.addEntry().setFullUrl("urn:uuid:99999999-9999-4999-8999-999999999999").setResource(provenance);
    return provenance;
  }

  @Test
  void aReferralThatAnswersAMessageNamesItInHeaderAndProvenance() {
    ReceivedMessage message = readChanged(SAMPLE, b -> {
      header(b).getResponse().setIdentifier(ANSWERED).setCode(ResponseType.OK);
      addProvenance(b, SERVICE_REQUEST, ANSWERED);
    });

    assertThat(message.answers()).contains(new MessageAnswer(ANSWERED, ResponseCode.OK));
  }

  @Test
  void anyMessageMayAnswerWithoutProvenanceAndTheAnswerKeepsItsCode() {
    ReceivedMessage message = readChanged(SAMPLE, b -> header(b).getResponse().setIdentifier(ANSWERED)
        .setCode(ResponseType.TRANSIENTERROR));

    assertThat(message.answers()).contains(new MessageAnswer(ANSWERED, ResponseCode.TRANSIENT_ERROR));
  }

  @Test
  void aProvenanceWithoutMessageHeaderResponseIsRejected() {
    assertInvalid(SAMPLE, b -> addProvenance(b, SERVICE_REQUEST, ANSWERED),
        "Referral rejected: Provenance names the answered message '" + ANSWERED + "' but MessageHeader.response is missing");
  }

  @Test
  void aReferralsProvenanceMustTargetItsFocus() {
    assertInvalid(SAMPLE, b -> {
      header(b).getResponse().setIdentifier(ANSWERED).setCode(ResponseType.OK);
      addProvenance(b, CONDITION, ANSWERED);
    }, "Referral rejected: Provenance.target must reference MessageHeader.focus (" + SERVICE_REQUEST + ")");
  }

  @Test
  void aReferralsProvenanceMustNameTheAnsweredMessage() {
    assertInvalid(SAMPLE, b -> {
      header(b).getResponse().setIdentifier(ANSWERED).setCode(ResponseType.OK);
      addProvenance(b, SERVICE_REQUEST, "4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24");
    }, "Referral rejected: Provenance.entity.what.identifier '4b6d8f0a-2c4e-4a6b-8d0f-1e3a5c7e9b24' "
        + "does not match MessageHeader.response.identifier '" + ANSWERED + "'");
  }
}
