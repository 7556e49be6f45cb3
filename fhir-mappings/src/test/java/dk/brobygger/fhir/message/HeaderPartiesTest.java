package dk.brobygger.fhir.message;

import static dk.brobygger.fhir.message.ReadingFixtures.header;
import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.fhir.directory.OrganisationIdentifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class HeaderPartiesTest {

  private static final String NURSE_ORG = "urn:uuid:e9f1a2b3-c4d5-4e6f-8a7b-9c0d1e2f3a4b";
  private static final OrganisationIdentifier NURSE =
      new OrganisationIdentifier(OrganisationIdentifier.SOR, "325421000016001");
  private static final OrganisationIdentifier GP = new OrganisationIdentifier(OrganisationIdentifier.SOR, "123451000016008");

  private static HeaderParties.Claim claim(List<HeaderParties.Claim> claims, String path) {
    return claims.stream().filter(c -> c.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no claim at " + path + " in " + claims));
  }

  @Test
  void theSampleReferralClaimsTheStreetNurseTeamAsSenderRequesterAndSource() {
    List<HeaderParties.Claim> claims = HeaderParties.of(ReadingFixtures.read("referral-to-gp.json"));

    assertThat(claims).extracting(HeaderParties.Claim::path)
        .containsExactly("MessageHeader.sender", "ServiceRequest.requester", "MessageHeader.source");
    assertThat(claim(claims, "MessageHeader.sender").identifiers()).containsExactly(NURSE);
    assertThat(claim(claims, "MessageHeader.sender").kind()).isEqualTo(HeaderParties.Kind.ORGANISATION);
    assertThat(claim(claims, "MessageHeader.sender").name()).hasValue("Gadesygeplejersken, Svendborg Kommune");
    assertThat(claim(claims, "ServiceRequest.requester").identifiers()).containsExactly(NURSE);
    assertThat(claim(claims, "MessageHeader.source").endpoint())
        .hasValue("https://brobygger.dk/recipients/325421000016001");
  }

  @Test
  void authorEntererAndResponsibleAreClaimsToo_aPersonByKindAndAPractitionerRoleAlsoByItsOrganisation() {
    ReceivedMessage message = ReadingFixtures.readChanged("referral-to-gp.json", bundle -> {
      Practitioner doctor = new Practitioner();
      doctor.addIdentifier().setSystem("https://autorisationsregister.dk").setValue("ABC12");
      bundle.addEntry().setFullUrl("urn:uuid:0a0a0a0a-0000-4000-8000-000000000001").setResource(doctor);
      PractitionerRole role = new PractitionerRole();
      role.setOrganization(new Reference().setIdentifier(new Identifier().setSystem(GP.system()).setValue(GP.value())));
      bundle.addEntry().setFullUrl("urn:uuid:0a0a0a0a-0000-4000-8000-000000000002").setResource(role);
      MessageHeader header = header(bundle);
      header.setAuthor(new Reference("urn:uuid:0a0a0a0a-0000-4000-8000-000000000001"));
      header.setEnterer(new Reference("urn:uuid:0a0a0a0a-0000-4000-8000-000000000002"));
      header.setResponsible(new Reference(NURSE_ORG));
    });

    List<HeaderParties.Claim> claims = HeaderParties.of(message);

    assertThat(claim(claims, "MessageHeader.author").kind()).isEqualTo(HeaderParties.Kind.PERSON);
    assertThat(claim(claims, "MessageHeader.author").identifiers())
        .containsExactly(new OrganisationIdentifier("https://autorisationsregister.dk", "ABC12"));
    assertThat(claim(claims, "MessageHeader.enterer").kind()).isEqualTo(HeaderParties.Kind.PERSON);
    assertThat(claim(claims, "MessageHeader.enterer.organization").kind()).isEqualTo(HeaderParties.Kind.ORGANISATION);
    assertThat(claim(claims, "MessageHeader.enterer.organization").identifiers()).containsExactly(GP);
    assertThat(claim(claims, "MessageHeader.responsible").identifiers()).containsExactly(NURSE);
  }

  @Test
  void aMessageWithoutSenderGetsTheOneGivenWrittenIntoWhatIsStoredAndDelivered() {
    ReceivedMessage anonymous = ReadingFixtures.readChanged("referral-to-gp.json", bundle -> header(bundle).setSender(null));
    assertThat(anonymous.sender()).isEmpty();

    ReceivedMessage named = HeaderParties.withSender(anonymous, GP, "Lægehuset Sydfyn", Samples.CODEC);

    assertThat(named.sender()).hasValue(GP);
    Bundle stored = Samples.CODEC.parse(named.canonicalJson(), FhirFormat.JSON, Bundle.class);
    Reference sender = header(stored).getSender();
    assertThat(sender.getIdentifier().getSystem()).isEqualTo(GP.system());
    assertThat(sender.getIdentifier().getValue()).isEqualTo(GP.value());
    assertThat(sender.getDisplay()).isEqualTo("Lægehuset Sydfyn");
    // the re-read message names the same sender, and nothing else changed
    assertThat(ReadingFixtures.read(stored).sender()).hasValue(GP);
    assertThat(named.messageId()).isEqualTo(anonymous.messageId());
    assertThat(named.items()).isEqualTo(anonymous.items());
    assertThat(header(anonymous.bundle()).hasSender()).as("the original is not changed").isFalse();
    assertThat(new String(anonymous.canonicalJson(), StandardCharsets.UTF_8)).doesNotContain("Lægehuset Sydfyn");
    assertThat(HeaderParties.of(named)).extracting(HeaderParties.Claim::path).contains("MessageHeader.sender");
    assertThat(claim(HeaderParties.of(named), "MessageHeader.sender").identifiers()).containsExactly(GP);
    assertThat(claim(HeaderParties.of(named), "MessageHeader.sender").name()).isEqualTo(Optional.empty());
  }
}
