package dk.brobygger.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratingIntoADirectoryTest {

  @TempDir
  Path tmp;

  @Test
  void aMissingDirectoryIsCreated() {
    Path dir = tmp.resolve("a/b/keys");

    InsecureSampleTrustSet.generate(dir);

    assertThat(dir.resolve(TrustSetLayout.MANIFEST)).isRegularFile();
  }

  @Test
  void aNonEmptyDirectoryIsRefusedAndLeftAsItWas() throws Exception {
    Files.writeString(tmp.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> InsecureSampleTrustSet.generate(tmp))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("not empty");
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).containsExactly(tmp.resolve("notes.txt"));
    }
  }

  @Test
  void aNonEmptyDirectoryIsOverwrittenWhenToldAndOtherFilesAreKept() throws Exception {
    InsecureSampleTrustSet.generate(tmp);
    String firstCa = Files.readString(tmp.resolve(TrustSetLayout.CA_CERTIFICATE));
    Files.writeString(tmp.resolve("notes.txt"), "mine");

    InsecureSampleTrustSet.generate(tmp, true);

    assertThat(Files.readString(tmp.resolve(TrustSetLayout.CA_CERTIFICATE))).isNotEqualTo(firstCa);
    assertThat(tmp.resolve("notes.txt")).hasContent("mine");
    TrustSetChecks.assertComplete(name -> Files.newInputStream(tmp.resolve(name)));
  }

  @Test
  void aFileInPlaceOfTheDirectoryIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("keys"), "not a directory");

    assertThatThrownBy(() -> InsecureSampleTrustSet.generate(file, true))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void generatingTwiceYieldsDifferentKeysCertificatesAndKids() throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    TrustSetManifest one = InsecureSampleTrustSet.generate(first);
    TrustSetManifest two = InsecureSampleTrustSet.generate(second);

    for (TrustSetFile file : one.files()) {
      if (file.kind() != TrustSetFile.Kind.README) {
        assertThat(Files.readAllBytes(second.resolve(file.name())))
            .as(file.name()).isNotEqualTo(Files.readAllBytes(first.resolve(file.name())));
      }
    }
    assertThat(thumbprints(first, TrustSetLayout.GATEWAY_SIGNING_PUBLIC_JWKS))
        .doesNotContainAnyElementsOf(thumbprints(second, TrustSetLayout.GATEWAY_SIGNING_PUBLIC_JWKS));
    assertThat(two.files().stream().flatMap(file -> file.kids().stream()))
        .doesNotContainAnyElementsOf(one.files().stream().flatMap(file -> file.kids().stream()).toList());
  }

  private static List<String> thumbprints(Path dir, String fileName) {
    return TrustSetChecks.jwks(name -> Files.newInputStream(dir.resolve(name)), fileName).getKeys().stream()
        .map(key -> {
          try {
            return key.computeThumbprint().toString();
          } catch (JOSEException e) {
            throw new AssertionError(e);
          }
        })
        .toList();
  }
}
