package dk.brobygger.keys;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of a trust set, as the manifest lists it.
 *
 * @param name file name inside the set (see {@link TrustSetLayout})
 * @param kind what the file holds
 * @param party the party id the file belongs to; empty for the CA, the gateway and the README
 * @param kids key ids, for JWK sets; empty otherwise
 * @param notAfter end of validity, for certificates and the keystore; empty otherwise
 */
public record TrustSetFile(
    String name, Kind kind, Optional<String> party, List<String> kids, Optional<Instant> notAfter) {

  /** What a file holds; the JSON form is the lower-case, hyphenated name. */
  public enum Kind {
    README(false),
    /** Only ever the manifest's own kind; a manifest does not list itself. */
    MANIFEST(false),
    CA_CERTIFICATE(false),
    TLS_SERVER_CERTIFICATE(false),
    TLS_SERVER_PRIVATE_KEY(true),
    TLS_SERVER_KEYSTORE(true),
    TLS_CLIENT_CERTIFICATE(false),
    TLS_CLIENT_PRIVATE_KEY(true),
    PRIVATE_JWKS(true),
    PUBLIC_JWKS(false);

    private final boolean secret;

    Kind(boolean secret) {
      this.secret = secret;
    }

    /** Whether a real set would have to keep this file secret (it holds private keys). */
    public boolean isSecret() {
      return secret;
    }

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static Kind fromJsonName(String jsonName) {
      for (Kind kind : values()) {
        if (kind.jsonName().equals(jsonName)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("Unknown trust set file kind: " + jsonName);
    }
  }

  public TrustSetFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(party, "party");
    kids = List.copyOf(kids);
    Objects.requireNonNull(notAfter, "notAfter");
  }
}
