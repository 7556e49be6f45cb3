package dk.brobygger.auditproof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.auditproof.note.SignedNote;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointNoteTest {

  static final String ORIGIN = "brobygger.example/audit";
  static final NoteSigner LOG_KEY = TestNoteKeys.generate(ORIGIN);
  static final Checkpoint EIGHT = new Checkpoint(8, Rfc6962Vectors.root(8), Optional.empty(), ORIGIN);

  @Test
  void theTextIsOriginSizeAndBase64RootOnePerLine() {
    assertThat(CheckpointNote.text(EIGHT)).isEqualTo(ORIGIN + "\n8\n"
        + Base64.getEncoder().encodeToString(Rfc6962Vectors.root(8)) + "\n");
  }

  @Test
  void aSignedCheckpointVerifiesWithTheLogsKeyAndGivesBackTheTreeHead() {
    String note = CheckpointNote.sign(EIGHT, LOG_KEY).format();

    Checkpoint verified = CheckpointNote.verify(note, LOG_KEY.verifier());

    assertThat(verified).isEqualTo(EIGHT);
    assertThat(note).contains("\n\n— " + ORIGIN + " ");
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsRefused() {
    NoteSigner impostor = TestNoteKeys.generate(ORIGIN);
    String note = CheckpointNote.sign(EIGHT, impostor).format();

    assertThatThrownBy(() -> CheckpointNote.verify(note, LOG_KEY.verifier()))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageContaining("no signature of key " + ORIGIN);
  }

  @Test
  void aCheckpointWhoseOriginDiffersFromTheKeyNameIsRefused() {
    NoteSigner otherLog = TestNoteKeys.generate("other.example/audit");
    Checkpoint ofOtherLog = new Checkpoint(8, Rfc6962Vectors.root(8), Optional.empty(), "other.example/audit");
    // signed by our key, but claiming another origin
    String text = CheckpointNote.text(ofOtherLog);
    String note = LOG_KEY.sign(text).format();

    assertThatThrownBy(() -> CheckpointNote.verify(note, LOG_KEY.verifier()))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageContaining("is of log other.example/audit");
    assertThatThrownBy(() -> CheckpointNote.sign(EIGHT, otherLog)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEditedSizeOrRootBreaksTheSignature() {
    String note = CheckpointNote.sign(EIGHT, LOG_KEY).format();

    assertThatThrownBy(() -> CheckpointNote.verify(note.replace("\n8\n", "\n7\n"), LOG_KEY.verifier()))
        .isInstanceOf(InvalidCheckpoint.class).hasMessageContaining("does not verify");
  }

  @Test
  void malformedTextsAreRefusedEvenWhenSigned() {
    String root = Base64.getEncoder().encodeToString(Rfc6962Vectors.root(8));
    for (String text : new String[] {
        ORIGIN + "\n08\n" + root + "\n",
        ORIGIN + "\n-1\n" + root + "\n",
        ORIGIN + "\n8\n" + root.substring(4) + "\n",
        ORIGIN + "\n8\n",
        ORIGIN + "\n8\n" + root + "\n\nextension\n"}) {
      String note = LOG_KEY.sign(text).format();
      assertThatThrownBy(() -> CheckpointNote.verify(note, LOG_KEY.verifier()))
          .as(text).isInstanceOf(InvalidCheckpoint.class);
    }
  }

  @Test
  void extensionLinesAreAllowedAndIgnoredAsTheSpecSays() {
    String note = LOG_KEY.sign(CheckpointNote.text(EIGHT) + "opaque extension\n").format();

    assertThat(CheckpointNote.verify(note, LOG_KEY.verifier())).isEqualTo(EIGHT);
  }

  @Test
  void cosignaturesOfOtherKeysDoNotDisturbVerification() {
    SignedNote note = CheckpointNote.sign(EIGHT, LOG_KEY);
    NoteSigner witness = TestNoteKeys.generate("witness.example");
    SignedNote cosigned = note.withSignature(witness.signatureOf(note.text()));

    assertThat(CheckpointNote.verify(cosigned.format(), LOG_KEY.verifier())).isEqualTo(EIGHT);
  }

  /** Throw-away Ed25519 note keys. */
  static final class TestNoteKeys {
    static NoteSigner generate(String name) {
      try {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        byte[] spki = pair.getPublic().getEncoded();
        return new NoteSigner(name, seed, Arrays.copyOfRange(spki, spki.length - 32, spki.length));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
