package dk.brobygger.delivery.seal;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.delivery.Disclosure;
import dk.brobygger.fhir.Code;
import dk.brobygger.fhir.directory.OrganisationIdentifier;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The sample keys, picked by curve, and disclosures to sample recipients, for the sealing tests. */
final class SealingFixtures {

  private SealingFixtures() {}

  /** The committed sample referral (MessageHeader, Patient, ServiceRequest, ...), about 7.5 KB. */
  static byte[] referral() {
    try (InputStream in = SealingFixtures.class.getResourceAsStream("/dk/brobygger/fhir/examples/referral-to-gp.json")) {
      if (in == null) {
        throw new IllegalStateException("fhir-mappings lacks the sample referral");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JWK gatewaySigningKey(Curve curve) {
    return only(InsecureSampleKeys.gatewaySigningKeys(), curve);
  }

  static JWKSet gatewayPublicKeys() {
    return InsecureSampleKeys.gatewaySigningPublicKeys();
  }

  static JWK encryptionPublicKey(SampleParty party, Curve curve) {
    return only(InsecureSampleKeys.encryptionPublicKeys(party), curve);
  }

  static JWK decryptionKey(SampleParty party, Curve curve) {
    return only(InsecureSampleKeys.encryptionKeys(party), curve);
  }

  static Recipient recipient(SampleParty party) {
    return new Recipient(party.id(), party.id(), party.kind(),
        List.of(new OrganisationIdentifier(OrganisationIdentifier.LOCAL, party.id())),
        Optional.of(URI.create("https://" + party.id() + ".example/fhir/$process-message")));
  }

  static Disclosure disclosureTo(SampleParty party, byte[] body) {
    return new Disclosure(1, "task-1", "message-1", recipient(party),
        List.of(new CitizenIdentifier(CitizenIdentifier.REPLACEMENT_CPR, "010150X123")), Code.TREATMENT, body, 1,
        Instant.parse("2025-03-03T09:00:00Z"));
  }

  private static JWK only(JWKSet set, Curve curve) {
    List<JWK> matches = new JWKSelector(new JWKMatcher.Builder().curve(curve).build()).select(set);
    if (matches.size() != 1) {
      throw new IllegalStateException("expected one " + curve + " key in the sample set, found " + matches.size());
    }
    return matches.get(0);
  }
}
