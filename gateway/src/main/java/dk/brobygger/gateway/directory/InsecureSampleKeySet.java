package dk.brobygger.gateway.directory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.util.HashMap;
import java.util.Map;

/**
 * Every public key of the insecure sample trust set (keys-sample), by RFC 7638 thumbprint, so that
 * a directory can be checked for them whatever kid or parameters order an entry uses.
 */
final class InsecureSampleKeySet {

  private InsecureSampleKeySet() {}

  /** Thumbprint -> a name for the sample key, e.g. "laegehuset-sydfyn client key ...". */
  static Map<String, String> thumbprints() {
    Map<String, String> thumbprints = new HashMap<>();
    add(thumbprints, InsecureSampleKeys.gatewaySigningPublicKeys(), "of the gateway");
    for (SampleParty party : SampleParty.values()) {
      add(thumbprints, InsecureSampleKeys.clientAuthPublicKeys(party), "for client authentication of " + party.id());
      if (party.isRecipient()) {
        add(thumbprints, InsecureSampleKeys.encryptionPublicKeys(party), "for encryption to " + party.id());
      }
    }
    return thumbprints;
  }

  static String thumbprint(JWK key) {
    try {
      return key.toPublicJWK().computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot compute a JWK thumbprint: " + e.getMessage(), e);
    }
  }

  private static void add(Map<String, String> thumbprints, JWKSet set, String whose) {
    for (JWK key : set.getKeys()) {
      thumbprints.put(thumbprint(key), "'" + key.getKeyID() + "' " + whose);
    }
  }
}
