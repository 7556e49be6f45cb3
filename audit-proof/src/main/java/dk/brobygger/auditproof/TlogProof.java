package dk.brobygger.auditproof;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A receipt in the c2sp.org/tlog-proof@v1 shape: optional extra data, the entry's index, its
 * inclusion proof (leaf's sibling first) and, after an empty line, the checkpoint verbatim with any
 * cosignatures. The gateway puts the entry itself (its canonical JSON) in the extra data, so that the
 * receipt is self-contained; the verifier never trusts it as such, but hashes it and checks the
 * inclusion proof, which authenticates it.
 */
public record TlogProof(Optional<byte[]> extra, long index, List<byte[]> inclusion, String checkpoint) {

  /** The first line of every proof. */
  public static final String HEADER = "c2sp.org/tlog-proof@v1";

  private static final Pattern INDEX = Pattern.compile("index (0|[1-9][0-9]{0,18})");

  public TlogProof {
    extra = extra.map(byte[]::clone);
    inclusion = MerkleHash.copyHashes(inclusion, "inclusion proof hash");
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (index < 0) {
      throw new IllegalArgumentException("entry index " + index + " is negative");
    }
  }

  @Override
  public Optional<byte[]> extra() {
    return extra.map(byte[]::clone);
  }

  @Override
  public List<byte[]> inclusion() {
    return MerkleHash.copyHashes(inclusion, "inclusion proof hash");
  }

  /** The proof as text, ready to store as a {@code .tlog-proof} file. */
  public String format() {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    extra.ifPresent(bytes -> out.append("extra ").append(Base64.getEncoder().encodeToString(bytes)).append('\n'));
    out.append("index ").append(index).append('\n');
    inclusion.forEach(hash -> out.append(Base64.getEncoder().encodeToString(hash)).append('\n'));
    return out.append('\n').append(checkpoint).toString();
  }

  /**
   * Reads a proof's text.
   *
   * @throws InvalidProof naming what is malformed
   */
  public static TlogProof parse(String text) {
    int blank = text.indexOf("\n\n");
    if (blank < 0) {
      throw new InvalidProof("a tlog-proof needs an empty line before its checkpoint");
    }
    List<String> lines = List.of(text.substring(0, blank).split("\n", -1));
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new InvalidProof("a tlog-proof must start with the line " + HEADER);
    }
    int at = 1;
    Optional<byte[]> extra = Optional.empty();
    if (at < lines.size() && lines.get(at).startsWith("extra ")) {
      extra = Optional.of(base64(lines.get(at).substring("extra ".length()), "extra data"));
      at++;
    }
    if (at >= lines.size() || !INDEX.matcher(lines.get(at)).matches()) {
      throw new InvalidProof("a tlog-proof needs the line 'index <n>' (decimal, no leading zeroes) after its header");
    }
    long index;
    try {
      index = Long.parseLong(lines.get(at).substring("index ".length()));
    } catch (NumberFormatException e) {
      throw new InvalidProof("the tlog-proof's index is too large");
    }
    List<byte[]> hashes = new ArrayList<>();
    for (String line : lines.subList(at + 1, lines.size())) {
      byte[] hash = base64(line, "inclusion proof line");
      if (hash.length != MerkleHash.SIZE) {
        throw new InvalidProof("an inclusion proof line is " + hash.length + " bytes, not " + MerkleHash.SIZE);
      }
      hashes.add(hash);
    }
    return new TlogProof(extra, index, hashes, text.substring(blank + 2));
  }

  private static byte[] base64(String text, String what) {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
        throw new IllegalArgumentException("not canonical");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new InvalidProof("the tlog-proof's " + what + " is not standard base64");
    }
  }
}
