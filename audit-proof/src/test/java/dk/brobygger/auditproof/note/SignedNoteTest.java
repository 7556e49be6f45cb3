package dk.brobygger.auditproof.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed notes against the published example of Go's golang.org/x/mod/sumdb/note (Ed25519 is deterministic). */
class SignedNoteTest {

  static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  // Go's private key form: PRIVATE+KEY+<name>+<hash>+base64(0x01 || seed); the base64 may hold '+'.
  static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  static final String TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  static final String NOTE = TEXT + "\n"
      + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  static NoteSigner peter() {
    byte[] typedSeed = Base64.getDecoder().decode(PETER_SKEY.split("\\+", 5)[4]);
    byte[] publicKey = Arrays.copyOfRange(Base64.getDecoder().decode(PETER_VKEY.split("\\+")[2]), 1, 33);
    return new NoteSigner("PeterNeumann", Arrays.copyOfRange(typedSeed, 1, 33), publicKey);
  }

  @Test
  void signingReproducesGosPublishedNoteByteForByte() {
    NoteSigner signer = peter();

    assertThat(signer.sign(TEXT).format()).isEqualTo(NOTE);
    assertThat(signer.verifier().verifierKey()).isEqualTo(PETER_VKEY);
  }

  @Test
  void gosPublishedNoteVerifiesWithItsVerifierKey() {
    NoteVerifier verifier = NoteVerifier.parse(PETER_VKEY);
    SignedNote note = SignedNote.parse(NOTE);

    verifier.requireSigned(note);
    assertThat(note.text()).isEqualTo(TEXT);
    assertThat(note.format()).isEqualTo(NOTE);
  }

  @Test
  void aChangedTextIsRefused() {
    SignedNote changed = SignedNote.parse(NOTE.replace("cryptography", "cryptographY"));

    assertThatThrownBy(() -> NoteVerifier.parse(PETER_VKEY).requireSigned(changed))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("does not verify");
  }

  @Test
  void signaturesOfUnknownKeysAreIgnoredButOneOfTheTrustedKeyIsRequired() {
    SignedNote note = SignedNote.parse(NOTE);
    NoteSignature stranger = new NoteSignature("EnochRoot", 0x12345678, new byte[64]);
    SignedNote cosigned = note.withSignature(stranger);

    NoteVerifier.parse(PETER_VKEY).requireSigned(cosigned);
    SignedNote onlyStranger = new SignedNote(TEXT, List.of(stranger));
    assertThatThrownBy(() -> NoteVerifier.parse(PETER_VKEY).requireSigned(onlyStranger))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("no signature of key PeterNeumann");
  }

  @Test
  void aSignatureWithTheTrustedNameButAnotherKeyIdIsIgnoredNotTrusted() {
    SignedNote note = SignedNote.parse(NOTE);
    NoteSignature sameName = new NoteSignature("PeterNeumann", 0x01020304, note.signatures().get(0).signature());

    assertThatThrownBy(() -> NoteVerifier.parse(PETER_VKEY).requireSigned(new SignedNote(TEXT, List.of(sameName))))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("no signature of key");
  }

  @Test
  void malformedNotesAreRefused() {
    assertThatThrownBy(() -> SignedNote.parse(NOTE.substring(0, NOTE.length() - 1)))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("end with a newline");
    assertThatThrownBy(() -> SignedNote.parse(TEXT)).isInstanceOf(InvalidNote.class);
    assertThatThrownBy(() -> SignedNote.parse(NOTE.replace("— ", "-- "))).isInstanceOf(InvalidNote.class);
    assertThatThrownBy(() -> SignedNote.parse(NOTE.replace("then", "\tthen")))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("control characters");
    assertThatThrownBy(() -> SignedNote.parse(NOTE.replace("PeterNeumann x08", "Peter+Neumann x08")))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("plus");
  }

  @Test
  void aVerifierKeyWhoseBase64HoldsAPlusSignIsRead() {
    // a verifier key of transparency-dev/formats' note tests; its base64 contains '+'
    String plusKey = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6";

    assertThat(NoteVerifier.parse(plusKey).verifierKey()).isEqualTo(plusKey);
  }

  @Test
  void aVerifierKeyWhoseHashDoesNotMatchIsRefused() {
    assertThatThrownBy(() -> NoteVerifier.parse(PETER_VKEY.replace("c74f20a3", "c74f20a4")))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("hash does not match");
    assertThatThrownBy(() -> NoteVerifier.parse(PETER_VKEY.replace("PeterNeumann", "PeterNeuman")))
        .isInstanceOf(InvalidNote.class);
  }
}
