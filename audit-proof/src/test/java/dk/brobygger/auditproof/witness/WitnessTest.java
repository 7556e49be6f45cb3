package dk.brobygger.auditproof.witness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.auditproof.Checkpoint;
import dk.brobygger.auditproof.CheckpointNote;
import dk.brobygger.auditproof.ConsistencyProof;
import dk.brobygger.auditproof.MerkleHash;
import dk.brobygger.auditproof.MerkleTree;
import dk.brobygger.auditproof.note.InvalidNote;
import dk.brobygger.auditproof.note.NoteSignature;
import dk.brobygger.auditproof.note.NoteSigner;
import dk.brobygger.auditproof.note.SignedNote;
import dk.brobygger.auditproof.witness.Witness.Answer;
import dk.brobygger.auditproof.witness.Witness.Request;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The witness of c2sp.org/tlog-witness, and k-of-n witness policies, including the attacks they stop. */
class WitnessTest {

  static final String ORIGIN = "brobygger.svendborg.example/audit";
  static final NoteSigner LOG = noteSigner(ORIGIN);
  static final MerkleTree TREE = tree("entry", 20);
  static final MerkleTree FORKED = tree("other history", 20);

  @TempDir Path temp;

  final Cosigner witnessKey = cosigner("witness.odder.example/w1");
  Witness witness;

  @org.junit.jupiter.api.BeforeEach
  void startWitness() {
    witness = new Witness(witnessKey, List.of(LOG.verifier()), new FileWitnessState(temp.resolve("w")), () -> 1_760_000_000L);
  }

  @Test
  void aFirstCheckpointIsCosignedAndTheCosignatureVerifiesOverTheCheckpointText() {
    String note = note(TREE, 8);

    Answer answer = witness.addCheckpoint(Request.body(0, List.of(), note));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    // the response lines appended to the checkpoint make the cosigned checkpoint
    SignedNote cosigned = SignedNote.parse(note + answer.body());
    assertThat(witnessKey.verifier().timestamp(cosigned.text(), cosigned.signatures().get(1)))
        .hasValue(1_760_000_000L);
    assertThat(answer.body()).startsWith("\u2014 witness.odder.example/w1 ");
  }

  @Test
  void aCheckpointThatOnlyGrewIsCosignedWithAConsistencyProof() {
    assertThat(witness.addCheckpoint(Request.body(0, List.of(), note(TREE, 8))).status()).isEqualTo(200);

    Answer answer = witness.addCheckpoint(Request.body(8, ConsistencyProof.of(TREE, 8, 13).hashes(), note(TREE, 13)));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }

  @Test
  void aForkOfTheSameSizeIsRefusedWithConflict() {
    witness.addCheckpoint(Request.body(0, List.of(), note(TREE, 8)));

    Answer second = witness.addCheckpoint(Request.body(8, List.of(), note(FORKED, 8)));

    assertThat(second.status()).isEqualTo(409);
    assertThat(second.body()).contains("forked");
  }

  @Test
  void aForkedHistoryOfAGreaterSizeFailsItsConsistencyProof() {
    witness.addCheckpoint(Request.body(0, List.of(), note(TREE, 8)));

    Answer forked = witness.addCheckpoint(Request.body(8, ConsistencyProof.of(FORKED, 8, 13).hashes(), note(FORKED, 13)));

    assertThat(forked.status()).isEqualTo(422);
  }

  @Test
  void aRollbackIsRefusedWithTheRecordedSize() {
    witness.addCheckpoint(Request.body(0, List.of(), note(TREE, 13)));

    Answer rollback = witness.addCheckpoint(Request.body(0, List.of(), note(TREE, 8)));

    assertThat(rollback.status()).isEqualTo(409);
    assertThat(rollback.contentType()).isEqualTo("text/x.tlog.size");
    assertThat(rollback.body()).isEqualTo("13\n");
  }

  @Test
  void anOldSizeAboveTheCheckpointSizeIsABadRequest() {
    assertThat(witness.addCheckpoint(Request.body(9, List.of(), note(TREE, 8))).status()).isEqualTo(400);
    assertThat(witness.addCheckpoint("old 01\n\n" + note(TREE, 8)).status()).isEqualTo(400);
    assertThat(witness.addCheckpoint(note(TREE, 8)).status()).isEqualTo(400);
  }

  @Test
  void anUnknownOriginIsNotFoundAndAForeignSignatureIsForbidden() {
    NoteSigner otherLog = noteSigner("other.example/audit");
    String ofOtherLog = CheckpointNote.sign(new Checkpoint(8, TREE.root(8), Optional.empty(), "other.example/audit"), otherLog).format();
    NoteSigner impostor = noteSigner(ORIGIN);
    String forged = CheckpointNote.sign(new Checkpoint(8, TREE.root(8), Optional.empty(), ORIGIN), impostor).format();

    assertThat(witness.addCheckpoint(Request.body(0, List.of(), ofOtherLog)).status()).isEqualTo(404);
    assertThat(witness.addCheckpoint(Request.body(0, List.of(), forged)).status()).isEqualTo(403);
  }

  @Test
  void theRecordSurvivesARestartOfTheWitness() {
    Path state = temp.resolve("state");
    Witness first = new Witness(witnessKey, List.of(LOG.verifier()), new FileWitnessState(state), () -> 1L);
    first.addCheckpoint(Request.body(0, List.of(), note(TREE, 13)));

    Witness restarted = new Witness(witnessKey, List.of(LOG.verifier()), new FileWitnessState(state), () -> 2L);
    Answer rollback = restarted.addCheckpoint(Request.body(0, List.of(), note(TREE, 8)));

    assertThat(rollback.status()).isEqualTo(409);
    assertThat(rollback.body()).isEqualTo("13\n");
  }

  @Test
  void aPolicyNeedsItsQuorumOfTrustedCosignaturesAndIgnoresOthers() {
    Cosigner second = cosigner("witness.brondby.example/w1");
    Cosigner outsider = cosigner("witness.outside.example/w1");
    WitnessPolicy policy = WitnessPolicy.parse("""
        # two municipalities witness each other's logs
        witness %s https://witness.odder.example/
        witness %s
        quorum 2
        """.formatted(witnessKey.verifier().verifierKey(), second.verifier().verifierKey()));
    SignedNote note = SignedNote.parse(note(TREE, 8));
    SignedNote oneTrusted = note.withSignature(witnessKey.cosign(note.text(), 5));
    SignedNote plusOutsider = oneTrusted.withSignature(outsider.cosign(note.text(), 5));
    SignedNote twoTrusted = oneTrusted.withSignature(second.cosign(note.text(), 6));

    assertThatThrownBy(() -> policy.requireQuorum(plusOutsider))
        .isInstanceOf(InvalidNote.class).hasMessageContaining("cosigned by 1 of the policy's witnesses");
    policy.requireQuorum(twoTrusted);
    assertThat(policy.witnesses().get(0).submissionPrefix()).isEqualTo("https://witness.odder.example/");
  }

  @Test
  void aCosignatureOverAnotherCheckpointDoesNotCount() {
    WitnessPolicy policy = WitnessPolicy.parse("witness " + witnessKey.verifier().verifierKey() + "\nquorum 1\n");
    SignedNote eight = SignedNote.parse(note(TREE, 8));
    NoteSignature overNine = witnessKey.cosign(SignedNote.parse(note(TREE, 9)).text(), 5);

    assertThatThrownBy(() -> policy.requireQuorum(eight.withSignature(overNine))).isInstanceOf(InvalidNote.class);
  }

  @Test
  void twoCosignedCheckpointsOfTheSameSizeWithDifferentRootsAreEvidenceOfAFork() {
    Witness elsewhere = new Witness(cosigner("witness.brondby.example/w1"), List.of(LOG.verifier()),
        new FileWitnessState(temp.resolve("b")), () -> 3L);
    // the operator shows each party a different history; each witness, seeing only one, cosigns it
    String shownToCitizen = note(TREE, 8) + witness.addCheckpoint(Request.body(0, List.of(), note(TREE, 8))).body();
    String shownToAuditor = note(FORKED, 8) + elsewhere.addCheckpoint(Request.body(0, List.of(), note(FORKED, 8))).body();

    Optional<String> fork = Forks.evidence(
        CheckpointNote.verify(shownToCitizen, LOG.verifier()), CheckpointNote.verify(shownToAuditor, LOG.verifier()), List.of());

    assertThat(fork).hasValueSatisfying(why -> assertThat(why).contains("two different root hashes for tree size 8"));
    assertThat(Forks.evidence(CheckpointNote.verify(note(TREE, 8), LOG.verifier()),
        CheckpointNote.verify(note(TREE, 13), LOG.verifier()), ConsistencyProof.of(TREE, 8, 13).hashes())).isEmpty();
    assertThat(Forks.evidence(CheckpointNote.verify(note(TREE, 8), LOG.verifier()),
        CheckpointNote.verify(note(FORKED, 13), LOG.verifier()), ConsistencyProof.of(FORKED, 8, 13).hashes()))
        .isPresent();
  }

  static String note(MerkleTree tree, int size) {
    return CheckpointNote.sign(new Checkpoint(size, tree.root(size), Optional.empty(), ORIGIN), LOG).format();
  }

  static MerkleTree tree(String prefix, int size) {
    return MerkleTree.of(IntStream.range(0, size).mapToObj(i -> MerkleHash.leafHash((prefix + i).getBytes(UTF_8))).toList());
  }

  static NoteSigner noteSigner(String name) {
    byte[][] pair = ed25519();
    return new NoteSigner(name, pair[0], pair[1]);
  }

  static Cosigner cosigner(String name) {
    byte[][] pair = ed25519();
    return new Cosigner(name, pair[0], pair[1]);
  }

  static byte[][] ed25519() {
    try {
      var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = pair.getPublic().getEncoded();
      return new byte[][] {((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(),
          Arrays.copyOfRange(spki, spki.length - 32, spki.length)};
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
