package dk.brobygger.delivery.seal;

import com.nimbusds.jose.jwk.JWK;
import dk.brobygger.fhir.directory.Recipient;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Fixed {@link RecipientKeys}, by directory id: for configuration read at start-up, demos and tests.
 *
 * @param encryptionKeys public encryption key per recipient id
 * @param signedOnlyAllowed recipient ids whose entry explicitly allows signed-only delivery
 */
public record RecipientKeyTable(Map<String, JWK> encryptionKeys, Set<String> signedOnlyAllowed)
    implements RecipientKeys {

  public RecipientKeyTable {
    encryptionKeys = Map.copyOf(encryptionKeys);
    signedOnlyAllowed = Set.copyOf(signedOnlyAllowed);
    encryptionKeys.forEach((id, key) -> {
      if (key.isPrivate()) {
        // Refused here, at configuration time, rather than at the first delivery to that recipient.
        throw new IllegalArgumentException("The key for recipient " + id + " holds a private part");
      }
    });
  }

  @Override
  public List<JWK> encryptionKeys(Recipient recipient) {
    JWK key = encryptionKeys.get(recipient.id());
    return key == null ? List.of() : List.of(key);
  }

  @Override
  public boolean allowsSignedOnly(Recipient recipient) {
    return signedOnlyAllowed.contains(recipient.id());
  }
}
