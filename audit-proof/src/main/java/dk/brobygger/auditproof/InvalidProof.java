package dk.brobygger.auditproof;

/**
 * A Merkle inclusion or consistency proof did not verify, or was malformed (wrong length, index
 * outside the tree, sizes out of order). The message says which, for the privacy officer's report.
 * Unchecked, and never swallowed into a boolean: a proof either verifies or this is thrown.
 */
public final class InvalidProof extends RuntimeException {

  public InvalidProof(String message) {
    super(message, null, false, false);
  }
}
