package dk.brobygger.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One freshly generated set, checked file by file. */
class InsecureSampleTrustSetTest {

  @TempDir
  static Path dir;

  private static TrustSetManifest returned;
  private static Instant generatedAround;
  private static TrustSetChecks.Source set;

  @BeforeAll
  static void generateOneSet() {
    generatedAround = Instant.now();
    returned = InsecureSampleTrustSet.generate(dir);
    set = name -> Files.newInputStream(dir.resolve(name));
  }

  @Test
  void theDirectoryHoldsExactlyTheFilesTheManifestListsAndEachIsNonEmpty() throws Exception {
    TrustSetChecks.assertComplete(set);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(file -> file.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(returned.fileNames());
    }
  }

  @Test
  void theManifestOnDiskIsTheOneGenerateReturned() {
    assertThat(TrustSetChecks.manifest(set)).isEqualTo(returned);
  }

  @Test
  void theReadmeFirstLineSaysTheKeysArePublicInsecureAndNeverForRealCitizensData() {
    String readme = new String(TrustSetChecks.bytes(set, TrustSetLayout.README), StandardCharsets.UTF_8);
    String firstLine = readme.lines().findFirst().orElseThrow();
    assertThat(firstLine)
        .contains("public", "insecure", "demos and tests only", "never for real citizens' data");
    assertThat(returned.warning()).isEqualTo(firstLine.substring("# ".length()));
  }

  @Test
  void theCaIsSelfSignedNamedInsecureAndValidForTenYears() throws Exception {
    TrustSetChecks.assertCaIsSelfSignedAndNamedInsecure(set);
    X509Certificate ca = TrustSetChecks.certificate(set, TrustSetLayout.CA_CERTIFICATE);
    Instant notBefore = ca.getNotBefore().toInstant();
    assertThat(notBefore).isBefore(generatedAround).isAfter(generatedAround.minus(Duration.ofHours(2)));
    assertThat(ca.getNotAfter().toInstant())
        .isEqualTo(notBefore.atOffset(ZoneOffset.UTC).plusYears(10).toInstant());
  }

  @Test
  void theServerCertificateNamesLocalhostForServerAuthAndChainsToTheCa() throws Exception {
    TrustSetChecks.assertServerCertificateIsForLocalhostAndChainsToTheCa(set);
  }

  @Test
  void theServerKeystoreHoldsTheServerKeyWithTheChainServerThenCa() throws Exception {
    TrustSetChecks.assertServerKeyStoreHoldsTheServerKeyAndChain(set);
  }

  @Test
  void eachPartysClientCertificateCarriesItsIdForClientAuthAndChainsToTheCa() throws Exception {
    TrustSetChecks.assertClientCertificatesCarryThePartyIdAndChainToTheCa(set);
  }

  @Test
  void theGatewaySignsWithEs256AndEd25519AndItsPublicKeysVerify() throws Exception {
    TrustSetChecks.assertSigningKeysMatch(
        TrustSetChecks.jwks(set, TrustSetLayout.GATEWAY_SIGNING_PRIVATE_JWKS),
        TrustSetChecks.jwks(set, TrustSetLayout.GATEWAY_SIGNING_PUBLIC_JWKS),
        Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA));
  }

  @Test
  void theAuditLogSignsCheckpointsWithAnEd25519KeyOfItsOwn() throws Exception {
    TrustSetChecks.assertSigningKeysMatch(
        TrustSetChecks.jwks(set, TrustSetLayout.AUDIT_CHECKPOINT_PRIVATE_JWKS),
        TrustSetChecks.jwks(set, TrustSetLayout.AUDIT_CHECKPOINT_PUBLIC_JWKS),
        Set.of(JWSAlgorithm.EdDSA));
  }

  @Test
  void eachPartySignsClientAuthenticationWithEs256AndItsPublicKeyVerifies() throws Exception {
    for (SampleParty party : SampleParty.values()) {
      TrustSetChecks.assertSigningKeysMatch(
          TrustSetChecks.jwks(set, TrustSetLayout.clientAuthPrivateJwks(party.id())),
          TrustSetChecks.jwks(set, TrustSetLayout.clientAuthPublicJwks(party.id())),
          Set.of(JWSAlgorithm.ES256));
    }
  }

  @Test
  void aSignatureByOnePartyDoesNotVerifyWithAnotherPartysPublicKey() throws Exception {
    ECKey gp = (ECKey) TrustSetChecks
        .jwks(set, TrustSetLayout.clientAuthPrivateJwks(SampleParty.GP.id())).getKeys().get(0);
    ECKey hospital = (ECKey) TrustSetChecks
        .jwks(set, TrustSetLayout.clientAuthPublicJwks(SampleParty.HOSPITAL.id())).getKeys().get(0);
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("claims"));
    jws.sign(new ECDSASigner(gp));

    assertThat(jws.verify(new ECDSAVerifier(hospital))).isFalse();
  }

  @Test
  void eachRecipientDecryptsWhatItsPublicP256AndX25519KeysEncrypt() throws Exception {
    for (SampleParty party : SampleParty.values()) {
      if (party.isRecipient()) {
        TrustSetChecks.assertEncryptionKeysMatch(
            TrustSetChecks.jwks(set, TrustSetLayout.encryptionPrivateJwks(party.id())),
            TrustSetChecks.jwks(set, TrustSetLayout.encryptionPublicJwks(party.id())));
      }
    }
  }

  @Test
  void thePrivacyOfficerGetsNoEncryptionKeysBecauseNothingIsSealedForIt() {
    String officer = SampleParty.PRIVACY_OFFICER.id();
    assertThat(dir.resolve(TrustSetLayout.encryptionPrivateJwks(officer))).doesNotExist();
    assertThat(dir.resolve(TrustSetLayout.encryptionPublicJwks(officer))).doesNotExist();
    assertThat(dir.resolve(TrustSetLayout.clientAuthPrivateJwks(officer))).exists();
  }

  @Test
  void everyKidIsUniqueAndTheManifestListsTheKidsOfEachJwkSet() {
    List<String> allKids = new ArrayList<>();
    for (TrustSetFile file : returned.files()) {
      if (file.kind() == TrustSetFile.Kind.PRIVATE_JWKS) {
        List<String> kids = TrustSetChecks.jwks(set, file.name()).getKeys().stream().map(JWK::getKeyID).toList();
        assertThat(file.kids()).as(file.name()).containsExactlyElementsOf(kids);
        allKids.addAll(kids);
      }
      if (file.kind() == TrustSetFile.Kind.PUBLIC_JWKS) {
        assertThat(TrustSetChecks.jwks(set, file.name()).getKeys().stream().map(JWK::getKeyID))
            .as(file.name()).containsExactlyElementsOf(file.kids());
      }
    }
    // gateway 2 + audit checkpoint 1 + client-auth 1 per party + encryption 2 per recipient
    assertThat(allKids).hasSize(2 + 1 + 5 + 2 * 4).doesNotHaveDuplicates();
  }

  @Test
  void filesHoldingPrivateKeysAreReadableByTheirOwnerOnly() throws Exception {
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    for (TrustSetFile file : returned.files()) {
      Path path = dir.resolve(file.name());
      if (file.kind().isSecret()) {
        assertThat(Files.getPosixFilePermissions(path)).as(file.name()).isEqualTo(ownerOnly);
      } else {
        assertThat(Files.getPosixFilePermissions(path)).as(file.name()).contains(PosixFilePermission.OWNER_READ);
      }
    }
  }
}
