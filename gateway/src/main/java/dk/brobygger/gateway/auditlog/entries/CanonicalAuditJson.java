package dk.brobygger.gateway.auditlog.entries;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The canonical JSON form of an audit entry: the bytes a Merkle tree hashes, so the same entry
 * must always give the same text. Fixed field order, every field present (null when absent), no
 * whitespace, instants in UTC ISO-8601 at microsecond precision (what both databases store).
 */
public final class CanonicalAuditJson {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper();

  private CanonicalAuditJson() {}

  /** The instant as stored: PostgreSQL keeps microseconds. */
  public static Instant storedPrecision(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  static String write(long sequence, AuditEntry e) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("seq", sequence);
      g.writeStringField("action", e.action().name());
      g.writeStringField("at", DateTimeFormatter.ISO_INSTANT.format(storedPrecision(e.at())));
      g.writeStringField("actor", e.actor());
      g.writeStringField("outcome", e.outcome());
      g.writeFieldName("citizen");
      if (e.citizen().isPresent()) {
        g.writeStartObject();
        g.writeStringField("system", e.citizen().get().system());
        g.writeStringField("value", e.citizen().get().value());
        g.writeEndObject();
      } else {
        g.writeNull();
      }
      writeOptional(g, "messageId", e.messageId());
      writeOptional(g, "recipientId", e.recipientId());
      g.writeFieldName("consent");
      if (e.consent().isPresent()) {
        g.writeStartObject();
        g.writeStringField("id", e.consent().get().consentId());
        g.writeNumberField("version", e.consent().get().version());
        g.writeEndObject();
      } else {
        g.writeNull();
      }
      g.writeFieldName("attempt");
      if (e.attempt().isPresent()) {
        g.writeNumber(e.attempt().get());
      } else {
        g.writeNull();
      }
      writeOptional(g, "sentSha256", e.sentSha256());
      g.writeArrayFieldStart("reasons");
      for (String reason : e.reasons()) {
        g.writeString(reason);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  private static void writeOptional(JsonGenerator g, String name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    } else {
      g.writeNullField(name);
    }
  }

  /** Reads back what {@link #write} wrote. */
  static StoredAuditEntry read(String json) {
    try {
      JsonNode n = READER.readTree(json);
      JsonNode citizen = n.get("citizen");
      JsonNode consent = n.get("consent");
      List<String> reasons = new ArrayList<>();
      n.get("reasons").forEach(r -> reasons.add(r.asText()));
      AuditEntry entry = new AuditEntry(
          AuditAction.valueOf(n.get("action").asText()),
          Instant.parse(n.get("at").asText()),
          n.get("actor").asText(),
          n.get("outcome").asText(),
          citizen.isNull()
              ? Optional.empty()
              : Optional.of(new CitizenIdentifier(citizen.get("system").asText(), citizen.get("value").asText())),
          text(n, "messageId"),
          text(n, "recipientId"),
          consent.isNull()
              ? Optional.empty()
              : Optional.of(new ConsentVersion(consent.get("id").asText(), consent.get("version").asLong())),
          n.get("attempt").isNull() ? Optional.empty() : Optional.of(n.get("attempt").asInt()),
          text(n, "sentSha256"),
          reasons);
      return new StoredAuditEntry(n.get("seq").asLong(), entry, json);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("stored audit entry is not canonical audit JSON", e);
    }
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode value = n.get(field);
    return value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }
}
