/**
 * The verifiable audit log's pure core, modelled on Certificate Transparency (RFC 6962 / RFC 9162)
 * and transparency-dev/merkle: Merkle hashing, proofs and their verification, signed checkpoints, and
 * the export format a privacy officer verifies offline. No storage, network, Vert.x or Camel code: the
 * storage and HTTP layers feed it leaf hashes and canonical entry texts.
 *
 * <h2>The tree</h2>
 *
 * <p>Leaf i of the log is the UTF-8 bytes of audit entry i's canonical JSON text, exactly as stored.
 * Leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right), the root of n leaves
 * is RFC 6962's MTH (split at the largest power of two below n; the empty tree's root is SHA-256 of no
 * bytes). {@link dk.brobygger.auditproof.CompactRange} appends in O(log n); {@link
 * dk.brobygger.auditproof.MerkleTree} computes roots and proofs; {@link
 * dk.brobygger.auditproof.ProofVerifier} checks them.
 *
 * <h2>Checkpoints</h2>
 *
 * <p>A checkpoint says "after treeSize entries the root was rootHash". It is a C2SP tlog-checkpoint
 * ({@link dk.brobygger.auditproof.CheckpointNote}): a signed note (c2sp.org/signed-note, package
 * {@code note}) whose text is the origin, the tree size and the base64 root, signed with the log's
 * Ed25519 note key named after the origin, so Go's sumdb/note and other tlog tools read it.
 * Checkpoints issued before that are a compact JWS, ES256, header {@code
 * {"alg":"ES256","kid":...,"typ":"brobygger-checkpoint+jws"}}, payload {@code
 * {"origin":"brobygger.example/audit-log","treeSize":N,"rootHash":"<base64>","issuedAt":"<ISO-8601>"}};
 * they stay verifiable ({@link dk.brobygger.auditproof.TrustedLogKeys} takes either key).
 *
 * <h2>The export format (newline-delimited JSON)</h2>
 *
 * <p>One JSON object per line, lines separated by "\n", ASCII only (non-ASCII characters are written
 * as \\uXXXX escapes). Hashes are standard base64 of 32 bytes. In this order:
 *
 * <ol>
 *   <li>Only when the export starts at entry {@code from > 0}: {@code
 *       {"prefix":{"size":from,"hashes":["<base64>",...]}}}, the compact-range hashes of entries [0,
 *       from) (the roots of the perfect subtrees, largest first, one per set bit of {@code from}), so
 *       the root can be recomputed without the earlier entries.
 *   <li>One line per entry, indexes contiguous from {@code from} (or 0): {@code
 *       {"index":N,"entry":"<canonical text as a JSON string>"}}, optionally with {@code
 *       "leafHash":"<base64>"}, the leaf hash recorded at append time. The entry is a JSON
 *       <em>string</em> holding the canonical text, not an embedded object, so that decoding it gives
 *       back the stored text byte for byte; the text itself must be a JSON object. A recorded leaf
 *       hash lets the verifier name the edited entry; without it, an edit still breaks the root.
 *   <li>Optionally {@code {"consistency":{"from":m,"to":n,"hashes":[...]}}}: the consistency proof
 *       from an earlier checkpoint of size m to this export's size n, so a verifier holding that
 *       earlier checkpoint can check the log only grew (RFC 6962 PROOF(m, D[n])).
 *   <li>Last: {@code {"checkpoint":"<signed note, or compact JWS>"}}, covering tree size n = last index + 1.
 * </ol>
 *
 * <p>{@link dk.brobygger.auditproof.ExportWriter} writes this format; {@link
 * dk.brobygger.auditproof.ExportVerifier} checks it in one streaming pass and reports the first
 * problem: a malformed or misplaced line, an index out of sequence (deletion, insertion, reordering), an
 * entry that is not a JSON object, an entry that does not match its recorded leaf hash, a missing
 * checkpoint (truncation), a bad or foreign signature, a size or root that does not match the entries
 * ("entries do not match the signed checkpoint"), or a previous checkpoint this one does not extend.
 */
package dk.brobygger.auditproof;
