package dk.brobygger.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.google.gson.GsonBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes every key, certificate and file of one trust set in memory: the CA, the TLS server and
 * client certificates, the JWK sets, the manifest and the README. Nothing touches the disk here.
 */
final class InsecureTrustSetAssembly {

  static final String WARNING = "INSECURE: treat these keys as public and insecure;"
      + " for demos and tests only, never for real citizens' data.";

  static final int VALIDITY_YEARS = 10;

  /** One file's manifest entry and bytes. */
  record Part(TrustSetFile entry, byte[] content) {
    Part {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(content, "content");
    }
  }

  /** A complete set: the manifest, and the parts it lists followed by the manifest itself. */
  record Assembled(TrustSetManifest manifest, List<Part> parts) {
    Assembled {
      Objects.requireNonNull(manifest, "manifest");
      parts = List.copyOf(parts);
    }
  }

  private final Instant now;
  private final Validity validity;
  private final InsecureSampleCa ca;
  private final InsecureJwks jwks;
  private final List<Part> parts = new ArrayList<>();

  private InsecureTrustSetAssembly(Instant now, SecureRandom random) {
    this.now = now;
    this.validity = Validity.years(now, VALIDITY_YEARS);
    this.ca = InsecureSampleCa.create(validity, random);
    this.jwks = new InsecureJwks(random);
  }

  static Assembled assemble(Instant now, SecureRandom random) {
    return new InsecureTrustSetAssembly(now, random).assemble();
  }

  private Assembled assemble() {
    try {
      addCertificates();
      addJwks();
    } catch (JOSEException | GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not generate the sample trust set", e);
    }
    List<TrustSetFile> listed = new ArrayList<>();
    listed.add(entry(TrustSetLayout.README, TrustSetFile.Kind.README, null, List.of(), false));
    parts.forEach(part -> listed.add(part.entry()));
    TrustSetManifest manifest = new TrustSetManifest(WARNING, now, listed);

    List<Part> all = new ArrayList<>();
    all.add(new Part(listed.get(0), ReadmeText.render(manifest).getBytes(StandardCharsets.UTF_8)));
    all.addAll(parts);
    TrustSetFile manifestItself = entry(TrustSetLayout.MANIFEST, TrustSetFile.Kind.MANIFEST, null, List.of(), false);
    all.add(new Part(manifestItself, manifest.toJson()));
    return new Assembled(manifest, all);
  }

  private void addCertificates() throws GeneralSecurityException, IOException {
    add(TrustSetLayout.CA_CERTIFICATE, TrustSetFile.Kind.CA_CERTIFICATE, null, List.of(), true,
        Pem.encode(ca.certificate()));

    IssuedCertificate server = ca.issueTlsServer();
    add(TrustSetLayout.SERVER_CERTIFICATE, TrustSetFile.Kind.TLS_SERVER_CERTIFICATE, null, List.of(), true,
        Pem.encode(server.certificate()));
    add(TrustSetLayout.SERVER_PRIVATE_KEY, TrustSetFile.Kind.TLS_SERVER_PRIVATE_KEY, null, List.of(), false,
        Pem.encode(server.keyPair().getPrivate()));
    parts.add(new Part(
        entry(TrustSetLayout.SERVER_KEYSTORE, TrustSetFile.Kind.TLS_SERVER_KEYSTORE, null, List.of(), true),
        pkcs12(server)));

    for (SampleParty party : SampleParty.values()) {
      IssuedCertificate client = ca.issueTlsClient(party.id());
      add(TrustSetLayout.clientCertificate(party.id()), TrustSetFile.Kind.TLS_CLIENT_CERTIFICATE, party,
          List.of(), true, Pem.encode(client.certificate()));
      add(TrustSetLayout.clientPrivateKey(party.id()), TrustSetFile.Kind.TLS_CLIENT_PRIVATE_KEY, party,
          List.of(), false, Pem.encode(client.keyPair().getPrivate()));
    }
  }

  private void addJwks() throws JOSEException {
    addJwkPair(TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS, TrustSetLayout.GATEWAY_SIGNING_PUBLIC_JWKS, null,
        jwks.gatewaySigning());
    addJwkPair(TrustSetLayout.AUDIT_CHECKPOINT_PRIVATE_JWKS, TrustSetLayout.AUDIT_CHECKPOINT_PUBLIC_JWKS, null,
        jwks.auditCheckpoint());
    for (SampleParty party : SampleParty.values()) {
      addJwkPair(TrustSetLayout.clientAuthPrivateJwks(party.id()),
          TrustSetLayout.clientAuthPublicJwks(party.id()), party, jwks.clientAuth(party.id()));
    }
    for (SampleParty party : SampleParty.values()) {
      if (party.isRecipient()) {
        addJwkPair(TrustSetLayout.encryptionPrivateJwks(party.id()),
            TrustSetLayout.encryptionPublicJwks(party.id()), party, jwks.encryption(party.id()));
      }
    }
  }

  private void addJwkPair(String privateName, String publicName, SampleParty party, JWKSet privateSet) {
    List<String> kids = privateSet.getKeys().stream().map(JWK::getKeyID).toList();
    add(privateName, TrustSetFile.Kind.PRIVATE_JWKS, party, kids, false, json(privateSet, false));
    add(publicName, TrustSetFile.Kind.PUBLIC_JWKS, party, kids, false, json(privateSet, true));
  }

  private void add(String name, TrustSetFile.Kind kind, SampleParty party, List<String> kids,
      boolean expires, String content) {
    parts.add(new Part(entry(name, kind, party, kids, expires), content.getBytes(StandardCharsets.UTF_8)));
  }

  private TrustSetFile entry(String name, TrustSetFile.Kind kind, SampleParty party, List<String> kids,
      boolean expires) {
    return new TrustSetFile(name, kind, Optional.ofNullable(party).map(SampleParty::id), kids,
        expires ? Optional.of(validity.notAfter()) : Optional.empty());
  }

  private byte[] pkcs12(IssuedCertificate server) throws GeneralSecurityException, IOException {
    char[] password = TrustSetLayout.INSECURE_KEYSTORE_PASSWORD.toCharArray();
    // The JDK's own PKCS12 (AES-256, HMAC-SHA256): what Vert.x, keytool and OpenSSL 3 all read.
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry(TrustSetLayout.SERVER_KEYSTORE_ALIAS, server.keyPair().getPrivate(), password,
        new Certificate[] {server.certificate(), ca.certificate()});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    keyStore.store(bytes, password);
    return bytes.toByteArray();
  }

  private static String json(JWKSet set, boolean publicOnly) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
        .toJson(set.toJSONObject(publicOnly)) + "\n";
  }
}
