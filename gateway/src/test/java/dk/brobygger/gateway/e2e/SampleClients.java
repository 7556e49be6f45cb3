package dk.brobygger.gateway.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.Pem;
import dk.brobygger.keys.SampleParty;
import dk.brobygger.keys.TrustSetLayout;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** What the sample parties' systems hold: their client-auth keys, client certificates, the CA. */
final class SampleClients {

  private static final char[] PASSWORD = "test".toCharArray();

  private SampleClients() {}

  /** A SMART Backend Services client assertion, signed with the party's sample key. */
  static String assertion(SampleParty party, String tokenUrl, Duration lifetime) {
    return assertion(party, tokenUrl, lifetime, Instant.now());
  }

  /** Dated by the given clock reading (a test that moves the gateway's clock). */
  static String assertion(SampleParty party, String tokenUrl, Duration lifetime, Instant now) {
    ECKey key = (ECKey) InsecureSampleKeys.clientAuthKeys(party).getKeys().stream()
        .filter(k -> k instanceof ECKey && k.isPrivate()).findFirst().orElseThrow();
    return assertion(party.id(), key, tokenUrl, lifetime, JWSAlgorithm.ES256, now);
  }

  static String assertion(String clientId, JWK key, String tokenUrl, Duration lifetime, JWSAlgorithm algorithm) {
    return assertion(clientId, key, tokenUrl, lifetime, algorithm, Instant.now());
  }

  static String assertion(String clientId, JWK key, String tokenUrl, Duration lifetime, JWSAlgorithm algorithm,
      Instant now) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(clientId).subject(clientId).audience(tokenUrl)
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new ECDSASigner((ECKey) key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** TLS that trusts the sample CA; with a client certificate when a party is given. */
  static SSLContext tls(SampleParty clientCertificateOf) {
    return tls(InsecureSampleKeys.caCertificate(), clientCertificateOf == null ? null
        : new X509Certificate[] {InsecureSampleKeys.clientCertificate(clientCertificateOf)},
        clientCertificateOf == null ? null
            : Pem.readPrivateKey(InsecureSampleKeys.open(TrustSetLayout.clientPrivateKey(clientCertificateOf.id()))));
  }

  static SSLContext tls(X509Certificate trusted, X509Certificate[] clientChain, PrivateKey clientKey) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", trusted);
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManagerFactory keyManagers = null;
      if (clientChain != null) {
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("client", clientKey, PASSWORD, clientChain);
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(identity, PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
