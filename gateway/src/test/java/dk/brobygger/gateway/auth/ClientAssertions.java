package dk.brobygger.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Builds client assertions the way a client would, and deliberately broken ones. */
final class ClientAssertions {

  static final String TOKEN_URL = "https://gateway.example/auth/token";

  private ClientAssertions() {}

  /** A party's committed client-authentication key (ES256, with its kid). */
  static JWK keyOf(SampleParty party) {
    return InsecureSampleKeys.clientAuthKeys(party).getKeys().get(0);
  }

  /** Claims a well-behaved client sends: iss = sub = client id, aud = token URL, 4 minutes to live. */
  static JWTClaimsSet.Builder claims(String clientId, Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(clientId)
        .subject(clientId)
        .audience(TOKEN_URL)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
        .jwtID(UUID.randomUUID().toString());
  }

  static String signed(JWK key, JWSAlgorithm alg, JWTClaimsSet claims) {
    JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).build();
    return signed(key, header, claims);
  }

  static String signed(JWK key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, header.getAlgorithm()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The usual assertion of a sample party at {@code now}. */
  static String of(SampleParty party, Instant now) {
    return signed(keyOf(party), JWSAlgorithm.ES256, claims(party.id(), now).build());
  }
}
