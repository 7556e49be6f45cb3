package dk.brobygger.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;

/** The body of {@code /.well-known/jwks.json}: the gateway's public signing keys, never a private part. */
public final class Jwks {

  private Jwks() {}

  public static String publicJson(JWKSet keys) {
    // toPublicJWKSet drops private parts and leaves out symmetric keys altogether
    return keys.toPublicJWKSet().toString(true);
  }
}
