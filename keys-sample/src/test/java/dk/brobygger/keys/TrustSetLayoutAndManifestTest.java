package dk.brobygger.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustSetLayoutAndManifestTest {

  @Test
  void aPartyIdThatCouldEscapeTheDirectoryIsRefused() {
    assertThatThrownBy(() -> TrustSetLayout.clientCertificate("../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustSetLayout.encryptionPublicJwks("Svendborg Sygehus"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TrustSetLayout.encryptionPublicJwks("svendborg-sygehus"))
        .isEqualTo("svendborg-sygehus.encryption.public.jwks.json");
  }

  @Test
  void sampleIdsAndKindsMatchTheSampleDirectory() {
    assertThat(SampleParty.byId("behandlingscenter-svendborg")).contains(SampleParty.ADDICTION_CENTRE);
    assertThat(SampleParty.ADDICTION_CENTRE.kind()).isEqualTo("addiction-centre");
    assertThat(SampleParty.byId("unknown")).isEmpty();
    assertThat(List.of(SampleParty.values())).filteredOn(SampleParty::isRecipient)
        .extracting(SampleParty::kind).containsExactly("outreach", "gp", "hospital", "addiction-centre");
  }

  @Test
  void aManifestReadsBackAsWritten() {
    TrustSetManifest manifest = new TrustSetManifest("warning", Instant.parse("2026-01-02T03:04:05Z"), List.of(
        new TrustSetFile("README.md", TrustSetFile.Kind.README, Optional.empty(), List.of(), Optional.empty()),
        new TrustSetFile("gp.encryption.public.jwks.json", TrustSetFile.Kind.PUBLIC_JWKS, Optional.of("gp"),
            List.of("kid-1", "kid-2"), Optional.empty()),
        new TrustSetFile("ca.cert.pem", TrustSetFile.Kind.CA_CERTIFICATE, Optional.empty(), List.of(),
            Optional.of(Instant.parse("2036-01-02T03:04:05Z")))));

    assertThat(TrustSetManifest.read(new ByteArrayInputStream(manifest.toJson()))).isEqualTo(manifest);
    assertThat(manifest.fileNames())
        .containsExactly("README.md", "gp.encryption.public.jwks.json", "ca.cert.pem", "manifest.json");
  }

  @Test
  void somethingElseThanAManifestIsRefusedWithTheMissingMember() {
    byte[] json = "{\"warning\": \"w\", \"files\": []}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> TrustSetManifest.read(new ByteArrayInputStream(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("generatedAt");
  }
}
