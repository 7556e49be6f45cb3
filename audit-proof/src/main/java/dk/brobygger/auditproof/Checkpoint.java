package dk.brobygger.auditproof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A signed tree head of the audit log: after {@code treeSize} entries the Merkle root was {@code
 * rootHash}. {@code origin} names the log (e.g. "brobygger.example/audit-log") so that a checkpoint of
 * one log is never accepted for another. Signed as a C2SP signed note ({@link CheckpointNote}, no
 * time in it) or, before that, as a compact JWS by {@link CheckpointSigner} (with {@code issuedAt}).
 *
 * <p>JSON payload, in this field order: {@code {"origin":..., "treeSize":N, "rootHash":"<base64>",
 * "issuedAt":"<ISO-8601 instant>"}}.
 */
public record Checkpoint(long treeSize, byte[] rootHash, Optional<Instant> issuedAt, String origin) {

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private static final Set<String> FIELDS = Set.of("origin", "treeSize", "rootHash", "issuedAt");

  public Checkpoint {
    if (treeSize < 0) {
      throw new IllegalArgumentException("checkpoint tree size must not be negative, got " + treeSize);
    }
    rootHash = MerkleHash.requireHash(rootHash, "checkpoint root hash").clone();
    Objects.requireNonNull(issuedAt, "issuedAt");
    if (origin == null || origin.isBlank()) {
      throw new IllegalArgumentException("checkpoint origin must name the log");
    }
  }

  /** A checkpoint with its signing time, as the JWS form carries it. */
  public Checkpoint(long treeSize, byte[] rootHash, Instant issuedAt, String origin) {
    this(treeSize, rootHash, Optional.of(issuedAt), origin);
  }

  /** Copies, so that the record stays immutable. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The JWS payload. */
  String toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("origin", origin);
    node.put("treeSize", treeSize);
    node.put("rootHash", Base64.getEncoder().encodeToString(rootHash));
    node.put("issuedAt", issuedAt.orElseThrow(() -> new IllegalStateException("a JWS checkpoint carries its time")).toString());
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers always serialises", e);
    }
  }

  /** Parses a JWS payload, strictly: exactly the four fields, each of its type. */
  static Checkpoint fromJson(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidCheckpoint("checkpoint payload is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidCheckpoint("checkpoint payload is not a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidCheckpoint("checkpoint payload has an unexpected field \"" + name + "\"");
      }
    }
    JsonNode origin = node.get("origin");
    JsonNode treeSize = node.get("treeSize");
    JsonNode rootHash = node.get("rootHash");
    JsonNode issuedAt = node.get("issuedAt");
    if (origin == null || !origin.isTextual() || origin.asText().isBlank()) {
      throw new InvalidCheckpoint("checkpoint payload lacks a textual \"origin\"");
    }
    if (treeSize == null || !treeSize.isIntegralNumber() || !treeSize.canConvertToLong() || treeSize.asLong() < 0) {
      throw new InvalidCheckpoint("checkpoint payload lacks a non-negative integer \"treeSize\"");
    }
    if (rootHash == null || !rootHash.isTextual()) {
      throw new InvalidCheckpoint("checkpoint payload lacks a base64 \"rootHash\"");
    }
    if (issuedAt == null || !issuedAt.isTextual()) {
      throw new InvalidCheckpoint("checkpoint payload lacks an ISO-8601 \"issuedAt\"");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(rootHash.asText());
    } catch (IllegalArgumentException e) {
      throw new InvalidCheckpoint("checkpoint \"rootHash\" is not base64");
    }
    if (root.length != MerkleHash.SIZE) {
      throw new InvalidCheckpoint("checkpoint \"rootHash\" must be " + MerkleHash.SIZE + " bytes, got " + root.length);
    }
    Instant issued;
    try {
      issued = Instant.parse(issuedAt.asText());
    } catch (DateTimeParseException e) {
      throw new InvalidCheckpoint("checkpoint \"issuedAt\" is not an ISO-8601 instant");
    }
    return new Checkpoint(treeSize.asLong(), root, issued, origin.asText());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint that
        && treeSize == that.treeSize
        && Arrays.equals(rootHash, that.rootHash)
        && issuedAt.equals(that.issuedAt)
        && origin.equals(that.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(treeSize, Arrays.hashCode(rootHash), issuedAt, origin);
  }

  @Override
  public String toString() {
    return "Checkpoint[origin=" + origin + ", treeSize=" + treeSize + ", rootHash="
        + HexFormat.of().formatHex(rootHash) + ", issuedAt=" + issuedAt.map(Instant::toString).orElse("not stated") + "]";
  }
}
