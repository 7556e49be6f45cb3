package dk.brobygger.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.Pem;
import dk.brobygger.keys.SampleParty;
import dk.brobygger.keys.TrustSetLayout;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the sample parties' systems hold (their client certificates and client-auth keys, the
 * sample CA) and the directory the benchmark gives the gateway: the five sample parties with their
 * public sample keys, the GP's endpoint at the recipient stub, and only the GP encryption key of the
 * curve under test (the gateway encrypts to a recipient's first encryption key).
 */
final class SampleSystems {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] PASSWORD = "bench".toCharArray();

  private SampleSystems() {}

  /** A directory file of the sample parties; {@code endpoints} by party id. */
  static void writeDirectory(Path file, Map<String, String> endpoints, Curve recipientCurve) throws Exception {
    String[][] parties = {
        {"svendborg-gadesygepleje", "Gadesygeplejen Svendborg", "urn:oid:1.2.208.176.1.1", "325421000016001"},
        {"laegehuset-sydfyn", "Lægehuset Sydfyn", "urn:oid:1.2.208.176.1.1", "123451000016008"},
        {"svendborg-sygehus", "Svendborg Sygehus", "urn:oid:1.2.208.176.1.1", "663101000016005"},
        {"behandlingscenter-svendborg", "Behandlingscenter Svendborg", "urn:oid:1.2.208.176.1.1", "447101000016003"},
        {"privacy-officer", "Databeskyttelsesrådgiver", "https://brobygger.dk/sid/directory", "privacy-officer"}};
    var recipients = JSON.createArrayNode();
    for (String[] p : parties) {
      SampleParty party = party(p[0]);
      var entry = recipients.addObject();
      entry.put("id", p[0]).put("name", p[1]).put("kind", party.kind());
      entry.putArray("identifiers").addObject().put("system", p[2]).put("value", p[3]);
      if (endpoints.containsKey(p[0])) {
        entry.put("endpoint", endpoints.get(p[0]));
      }
      entry.set("clientKeys", JSON.readTree(InsecureSampleKeys.clientAuthPublicKeys(party).toString(true)));
      if (party.isRecipient()) {
        JWKSet keys = InsecureSampleKeys.encryptionPublicKeys(party);
        JWK ofCurve = keys.getKeys().stream()
            .filter(k -> recipientCurve.equals(k instanceof ECKey ec ? ec.getCurve()
                : ((com.nimbusds.jose.jwk.OctetKeyPair) k).getCurve()))
            .findFirst().orElseThrow();
        entry.set("encryptionKeys", JSON.readTree(new JWKSet(ofCurve).toString(true)));
      }
    }
    var root = JSON.createObjectNode();
    root.set("recipients", recipients);
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
  }

  static SampleParty party(String id) {
    for (SampleParty p : SampleParty.values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(id);
  }

  /** TLS trusting the sample CA; with the party's client certificate when one is given. */
  static SSLContext tls(SampleParty clientCertificateOf) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", InsecureSampleKeys.caCertificate());
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = null;
    if (clientCertificateOf != null) {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry("client",
          Pem.readPrivateKey(InsecureSampleKeys.open(TrustSetLayout.clientPrivateKey(clientCertificateOf.id()))),
          PASSWORD, new X509Certificate[] {InsecureSampleKeys.clientCertificate(clientCertificateOf)});
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(identity, PASSWORD);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return context;
  }

  /** An access token for the party (SMART Backend Services: a client assertion signed with its sample key). */
  static String accessToken(HttpClient https, String baseUrl, SampleParty party) throws Exception {
    String tokenUrl = baseUrl + "/auth/token";
    ECKey key = (ECKey) InsecureSampleKeys.clientAuthKeys(party).getKeys().stream()
        .filter(k -> k instanceof ECKey && k.isPrivate()).findFirst().orElseThrow();
    Instant now = Instant.now();
    SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
        .type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().issuer(party.id()).subject(party.id()).audience(tokenUrl)
            .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
            .jwtID(UUID.randomUUID().toString()).build());
    assertion.sign(new ECDSASigner(key));
    String form = "grant_type=client_credentials"
        + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
        + "&client_assertion=" + URLEncoder.encode(assertion.serialize(), StandardCharsets.UTF_8)
        + "&scope=" + URLEncoder.encode("system/*.cruds", StandardCharsets.UTF_8);
    HttpResponse<String> answer = https.send(HttpRequest.newBuilder(URI.create(tokenUrl))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("no token for " + party.id() + ": " + answer.statusCode() + " " + answer.body());
    }
    return JSON.readTree(answer.body()).get("access_token").asText();
  }
}
