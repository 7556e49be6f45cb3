package dk.brobygger.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set committed under src/main/resources, as the gateway sees it: through the class path. */
class CommittedSampleKeysTest {

  private static final TrustSetChecks.Source COMMITTED = InsecureSampleKeys::open;

  @Test
  void theCommittedSetHoldsEveryFileOfTheLayoutAndEachOpens() {
    assertThat(InsecureSampleKeys.fileNames())
        .containsExactlyInAnyOrderElementsOf(TrustSetChecks.expectedFileNames());
    TrustSetChecks.assertComplete(COMMITTED);
  }

  @Test
  void everyCommittedCertificateIsValidForAtLeastFiveMoreYears() throws Exception {
    Instant fiveYearsFromNow = Instant.now().atOffset(ZoneOffset.UTC).plusYears(5).toInstant();
    List<X509Certificate> certificates = new ArrayList<>();
    for (TrustSetFile file : InsecureSampleKeys.manifest().files()) {
      if (file.name().endsWith(".cert.pem")) {
        certificates.add(TrustSetChecks.certificate(COMMITTED, file.name()));
      }
    }
    KeyStore keyStore = InsecureSampleKeys.serverKeyStore();
    for (Certificate certificate : keyStore.getCertificateChain(TrustSetLayout.SERVER_KEYSTORE_ALIAS)) {
      certificates.add((X509Certificate) certificate);
    }

    // CA + server + one client per party, and the keystore's chain of two
    assertThat(certificates).hasSize(2 + SampleParty.values().length + 2);
    for (X509Certificate certificate : certificates) {
      certificate.checkValidity();
      assertThat(certificate.getNotAfter().toInstant())
          .as(certificate.getSubjectX500Principal().getName())
          .isAfter(fiveYearsFromNow);
    }
  }

  @Test
  void theCommittedCertificatesChainToTheCommittedCa() throws Exception {
    TrustSetChecks.assertCaIsSelfSignedAndNamedInsecure(COMMITTED);
    TrustSetChecks.assertServerCertificateIsForLocalhostAndChainsToTheCa(COMMITTED);
    TrustSetChecks.assertServerKeyStoreHoldsTheServerKeyAndChain(COMMITTED);
    TrustSetChecks.assertClientCertificatesCarryThePartyIdAndChainToTheCa(COMMITTED);
  }

  @Test
  void theCommittedPrivateAndPublicJwksMatch() throws Exception {
    TrustSetChecks.assertSigningKeysMatch(InsecureSampleKeys.gatewaySigningKeys(),
        InsecureSampleKeys.gatewaySigningPublicKeys(), Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA));
    TrustSetChecks.assertSigningKeysMatch(InsecureSampleKeys.auditCheckpointKeys(),
        TrustSetChecks.jwks(COMMITTED, TrustSetLayout.AUDIT_CHECKPOINT_PUBLIC_JWKS), Set.of(JWSAlgorithm.EdDSA));
    for (SampleParty party : SampleParty.values()) {
      TrustSetChecks.assertSigningKeysMatch(InsecureSampleKeys.clientAuthKeys(party),
          InsecureSampleKeys.clientAuthPublicKeys(party), Set.of(JWSAlgorithm.ES256));
      if (party.isRecipient()) {
        TrustSetChecks.assertEncryptionKeysMatch(
            InsecureSampleKeys.encryptionKeys(party), InsecureSampleKeys.encryptionPublicKeys(party));
      }
    }
  }

  @Test
  void theCommittedManifestListsTheKidsTheCommittedJwkSetsHold() {
    for (TrustSetFile file : InsecureSampleKeys.manifest().files()) {
      if (file.kind() == TrustSetFile.Kind.PRIVATE_JWKS || file.kind() == TrustSetFile.Kind.PUBLIC_JWKS) {
        assertThat(TrustSetChecks.jwks(COMMITTED, file.name()).getKeys().stream().map(JWK::getKeyID))
            .as(file.name()).containsExactlyElementsOf(file.kids());
      }
    }
  }

  @Test
  void theConvenienceAccessorsReturnTheFilesOfTheSameName() throws Exception {
    assertThat(InsecureSampleKeys.caCertificate())
        .isEqualTo(TrustSetChecks.certificate(COMMITTED, TrustSetLayout.CA_CERTIFICATE));
    assertThat(InsecureSampleKeys.serverCertificate())
        .isEqualTo(TrustSetChecks.certificate(COMMITTED, TrustSetLayout.SERVER_CERTIFICATE));
    assertThat(InsecureSampleKeys.clientCertificate(SampleParty.GP))
        .isEqualTo(TrustSetChecks.certificate(COMMITTED, TrustSetLayout.clientCertificate("laegehuset-sydfyn")));
    assertThat(InsecureSampleKeys.encryptionPublicKeys(SampleParty.ADDICTION_CENTRE).toString())
        .isEqualTo(TrustSetChecks.jwks(COMMITTED,
            TrustSetLayout.encryptionPublicJwks("behandlingscenter-svendborg")).toString());
  }

  @Test
  void theCommittedReadmeStartsWithTheWarning() {
    String readme = new String(TrustSetChecks.bytes(COMMITTED, TrustSetLayout.README), StandardCharsets.UTF_8);
    assertThat(readme.lines().findFirst().orElseThrow())
        .contains("public", "insecure", "never for real citizens' data");
  }

  @Test
  void copyToMaterialisesEveryFileByteForByte(@TempDir Path dir) throws Exception {
    InsecureSampleKeys.copyTo(dir.resolve("trust"));

    for (String name : InsecureSampleKeys.fileNames()) {
      try (InputStream committed = InsecureSampleKeys.open(name)) {
        assertThat(Files.readAllBytes(dir.resolve("trust").resolve(name))).as(name)
            .isEqualTo(committed.readAllBytes());
      }
    }
    TrustSetChecks.assertServerKeyStoreHoldsTheServerKeyAndChain(
        name -> Files.newInputStream(dir.resolve("trust").resolve(name)));
  }

  @Test
  void openRefusesANameOutsideTheSet() {
    assertThatThrownBy(() -> InsecureSampleKeys.open("../InsecureSampleKeys.class"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a file of the sample trust set");
  }

  @Test
  void thePrivacyOfficerHasNoEncryptionKeys() {
    assertThatThrownBy(() -> InsecureSampleKeys.encryptionPublicKeys(SampleParty.PRIVACY_OFFICER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("privacy-officer");
  }
}
