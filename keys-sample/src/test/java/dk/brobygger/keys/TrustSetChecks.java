package dk.brobygger.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.X25519Decrypter;
import com.nimbusds.jose.crypto.X25519Encrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Assertions that hold for every trust set, generated just now or committed in the jar. A set is
 * reached through a {@link Source}, so both go through the same checks.
 */
final class TrustSetChecks {

  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  /** Opens one file of a set by name. */
  @FunctionalInterface
  interface Source {
    InputStream open(String fileName) throws IOException;
  }

  private TrustSetChecks() {}

  static TrustSetManifest manifest(Source set) {
    try (InputStream in = set.open(TrustSetLayout.MANIFEST)) {
      return TrustSetManifest.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Source set, String fileName) {
    try (InputStream in = set.open(fileName)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static X509Certificate certificate(Source set, String fileName) {
    try (InputStream in = set.open(fileName)) {
      List<X509Certificate> certificates = Pem.readCertificates(in);
      assertThat(certificates).as(fileName).hasSize(1);
      return certificates.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PrivateKey privateKey(Source set, String fileName) {
    try (InputStream in = set.open(fileName)) {
      return Pem.readPrivateKey(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JWKSet jwks(Source set, String fileName) {
    try (InputStream in = set.open(fileName)) {
      return JWKSet.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParseException e) {
      throw new AssertionError(fileName + " is not a JWK set", e);
    }
  }

  static KeyStore serverKeyStore(Source set) {
    try (InputStream in = set.open(TrustSetLayout.SERVER_KEYSTORE)) {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(in, TrustSetLayout.INSECURE_KEYSTORE_PASSWORD.toCharArray());
      return keyStore;
    } catch (Exception e) {
      throw new AssertionError("server.p12 does not load with the published password", e);
    }
  }

  /** Every file the layout promises, for every sample party, and nothing the layout does not know. */
  static List<String> expectedFileNames() {
    List<String> names = new ArrayList<>(List.of(
        TrustSetLayout.README, TrustSetLayout.MANIFEST, TrustSetLayout.CA_CERTIFICATE,
        TrustSetLayout.SERVER_CERTIFICATE, TrustSetLayout.SERVER_PRIVATE_KEY, TrustSetLayout.SERVER_KEYSTORE,
        TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS, TrustSetLayout.GATEWAY_SIGNING_PUBLIC_JWKS,
        TrustSetLayout.AUDIT_CHECKPOINT_PRIVATE_JWKS, TrustSetLayout.AUDIT_CHECKPOINT_PUBLIC_JWKS));
    for (SampleParty party : SampleParty.values()) {
      names.add(TrustSetLayout.clientCertificate(party.id()));
      names.add(TrustSetLayout.clientPrivateKey(party.id()));
      names.add(TrustSetLayout.clientAuthPrivateJwks(party.id()));
      names.add(TrustSetLayout.clientAuthPublicJwks(party.id()));
      if (party.isRecipient()) {
        names.add(TrustSetLayout.encryptionPrivateJwks(party.id()));
        names.add(TrustSetLayout.encryptionPublicJwks(party.id()));
      }
    }
    return names;
  }

  static void assertComplete(Source set) {
    TrustSetManifest manifest = manifest(set);
    assertThat(manifest.fileNames()).containsExactlyInAnyOrderElementsOf(expectedFileNames());
    for (String name : manifest.fileNames()) {
      assertThat(bytes(set, name)).as(name).isNotEmpty();
    }
  }

  static void assertServerCertificateIsForLocalhostAndChainsToTheCa(Source set) throws Exception {
    X509Certificate ca = certificate(set, TrustSetLayout.CA_CERTIFICATE);
    X509Certificate server = certificate(set, TrustSetLayout.SERVER_CERTIFICATE);

    assertChainsTo(server, ca);
    assertThat(commonName(server)).isEqualTo("localhost");
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(server.getBasicConstraints()).as("not a CA").isEqualTo(-1);

    List<String> dnsNames = new ArrayList<>();
    List<InetAddress> ipAddresses = new ArrayList<>();
    for (List<?> name : server.getSubjectAlternativeNames()) {
      int type = (Integer) name.get(0);
      if (type == SAN_DNS) {
        dnsNames.add((String) name.get(1));
      } else if (type == SAN_IP) {
        ipAddresses.add(InetAddress.getByName((String) name.get(1)));
      }
    }
    assertThat(dnsNames).containsExactly("localhost");
    assertThat(ipAddresses).containsExactlyInAnyOrder(
        InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));

    assertBelongTogether(privateKey(set, TrustSetLayout.SERVER_PRIVATE_KEY), server.getPublicKey());
  }

  static void assertServerKeyStoreHoldsTheServerKeyAndChain(Source set) throws Exception {
    X509Certificate ca = certificate(set, TrustSetLayout.CA_CERTIFICATE);
    X509Certificate server = certificate(set, TrustSetLayout.SERVER_CERTIFICATE);
    KeyStore keyStore = serverKeyStore(set);

    assertThat(keyStore.isKeyEntry(TrustSetLayout.SERVER_KEYSTORE_ALIAS)).isTrue();
    assertThat(keyStore.getCertificateChain(TrustSetLayout.SERVER_KEYSTORE_ALIAS))
        .containsExactly(server, ca);
    PrivateKey key = (PrivateKey) keyStore.getKey(
        TrustSetLayout.SERVER_KEYSTORE_ALIAS, TrustSetLayout.INSECURE_KEYSTORE_PASSWORD.toCharArray());
    assertBelongTogether(key, server.getPublicKey());
  }

  static void assertClientCertificatesCarryThePartyIdAndChainToTheCa(Source set) throws Exception {
    X509Certificate ca = certificate(set, TrustSetLayout.CA_CERTIFICATE);
    for (SampleParty party : SampleParty.values()) {
      X509Certificate client = certificate(set, TrustSetLayout.clientCertificate(party.id()));
      assertChainsTo(client, ca);
      assertThat(commonName(client)).isEqualTo(party.id());
      assertThat(attribute(client, BCStyle.O)).isEqualTo("Brobygger sample");
      assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
      assertThat(client.getBasicConstraints()).as("not a CA").isEqualTo(-1);
      assertBelongTogether(privateKey(set, TrustSetLayout.clientPrivateKey(party.id())), client.getPublicKey());
    }
  }

  static void assertCaIsSelfSignedAndNamedInsecure(Source set) throws Exception {
    X509Certificate ca = certificate(set, TrustSetLayout.CA_CERTIFICATE);
    assertThat(commonName(ca)).isEqualTo("Brobygger INSECURE Sample CA");
    assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
    assertThatCode(() -> ca.verify(ca.getPublicKey())).doesNotThrowAnyException();
    assertThat(ca.getBasicConstraints()).as("path length of a CA").isEqualTo(0);
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  /** A JWS made with each private key verifies with the public key of the same kid. */
  static void assertSigningKeysMatch(JWKSet privateSet, JWKSet publicSet, Set<JWSAlgorithm> expected)
      throws Exception {
    assertPublicOnly(publicSet);
    List<JWSAlgorithm> algorithms = new ArrayList<>();
    for (JWK privateKey : privateSet.getKeys()) {
      assertThat(privateKey.isPrivate()).as(privateKey.getKeyID()).isTrue();
      assertThat(privateKey.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
      JWK publicKey = publicSet.getKeyByKeyId(privateKey.getKeyID());
      assertThat(publicKey).as("public key for " + privateKey.getKeyID()).isNotNull();

      JWSAlgorithm algorithm = JWSAlgorithm.parse(privateKey.getAlgorithm().getName());
      algorithms.add(algorithm);
      JWSObject jws = new JWSObject(
          new JWSHeader.Builder(algorithm).keyID(privateKey.getKeyID()).build(), new Payload("referral"));
      jws.sign(signer(privateKey));
      JWSObject received = JWSObject.parse(jws.serialize());
      assertThat(received.verify(verifier(publicKey))).as(privateKey.getKeyID()).isTrue();
    }
    assertThat(algorithms).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** What the public key of a kid encrypts (ECDH-ES+A256KW, A256GCM), its private key decrypts. */
  static void assertEncryptionKeysMatch(JWKSet privateSet, JWKSet publicSet) throws Exception {
    assertPublicOnly(publicSet);
    List<Curve> curves = new ArrayList<>();
    for (JWK privateKey : privateSet.getKeys()) {
      assertThat(privateKey.getKeyUse()).isEqualTo(KeyUse.ENCRYPTION);
      assertThat(privateKey.getAlgorithm()).isEqualTo(JWEAlgorithm.ECDH_ES_A256KW);
      JWK publicKey = publicSet.getKeyByKeyId(privateKey.getKeyID());
      assertThat(publicKey).as("public key for " + privateKey.getKeyID()).isNotNull();

      JWEObject jwe = new JWEObject(
          new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
              .keyID(publicKey.getKeyID()).build(),
          new Payload("Referral for a citizen"));
      jwe.encrypt(encrypter(publicKey));
      JWEObject received = JWEObject.parse(jwe.serialize());
      received.decrypt(decrypter(privateKey));
      assertThat(received.getPayload().toString()).isEqualTo("Referral for a citizen");
      curves.add(privateKey instanceof ECKey ec ? ec.getCurve() : privateKey.toOctetKeyPair().getCurve());
    }
    assertThat(curves).containsExactlyInAnyOrder(Curve.P_256, Curve.X25519);
  }

  static void assertPublicOnly(JWKSet publicSet) {
    assertThat(publicSet.getKeys()).isNotEmpty();
    assertThat(publicSet.getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).as(key.getKeyID()).isFalse());
  }

  static void assertChainsTo(X509Certificate leaf, X509Certificate ca) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
  }

  static String commonName(X509Certificate certificate) {
    return attribute(certificate, BCStyle.CN);
  }

  private static String attribute(X509Certificate certificate, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
    RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(type);
    assertThat(rdns).as(type.getId()).hasSize(1);
    return IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  /** The private key signs what the public key verifies: they are one pair. */
  static void assertBelongTogether(PrivateKey privateKey, PublicKey publicKey) throws Exception {
    byte[] data = "brobygning".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(privateKey);
    signer.update(data);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(publicKey);
    verifier.update(data);
    assertThat(verifier.verify(signer.sign())).isTrue();
  }

  private static JWSSigner signer(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDSASigner(ec) : new Ed25519Signer((OctetKeyPair) key);
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDSAVerifier(ec) : new Ed25519Verifier((OctetKeyPair) key);
  }

  private static JWEEncrypter encrypter(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDHEncrypter(ec) : new X25519Encrypter((OctetKeyPair) key);
  }

  private static JWEDecrypter decrypter(JWK key) throws JOSEException {
    return key instanceof ECKey ec ? new ECDHDecrypter(ec) : new X25519Decrypter((OctetKeyPair) key);
  }
}
