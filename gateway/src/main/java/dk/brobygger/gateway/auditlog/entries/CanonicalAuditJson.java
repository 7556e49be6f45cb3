package dk.brobygger.gateway.auditlog.entries;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.db.Sql;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The canonical JSON form of an audit event: the bytes a Merkle tree hashes, so the same event
 * must always give the same text. Fixed field order, every field present (null when absent), no
 * whitespace, instants in UTC ISO-8601 at microsecond precision (what the database stores).
 *
 * <p>First the envelope every entry has ({@link AuditEntry}, unchanged since the first version),
 * then the fields only some kinds have, after {@code reasons}: the {@code sent}, {@code withheld}
 * and {@code withheldItems} of a sending and of its outcome; a repeated refusal's {@code repeated}. Entries written
 * before those fields existed lack them and keep their bytes.
 */
public final class CanonicalAuditJson {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper();

  private CanonicalAuditJson() {}

  /** The instant as stored: PostgreSQL keeps microseconds (see {@link Sql#storedPrecision}). */
  public static Instant storedPrecision(Instant at) {
    return Sql.storedPrecision(at);
  }

  /** How every canonical entry starts: its sequence number comes first. */
  static final String BEFORE_SEQUENCE = "{\"seq\":";

  /**
   * The canonical JSON of {@code event} after its sequence number, so that
   * {@code BEFORE_SEQUENCE + sequence + afterSequence(event)} is {@code write(sequence, event)}.
   */
  static String afterSequence(AuditEvent event) {
    String numberedZero = write(0, event);
    String start = BEFORE_SEQUENCE + "0,";
    if (!numberedZero.startsWith(start)) {
      throw new IllegalStateException("a canonical audit entry must start with " + start);
    }
    return numberedZero.substring(start.length() - 1);
  }

  static String write(long sequence, AuditEvent event) {
    AuditEntry e = event.entry();
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("seq", sequence);
      g.writeStringField("action", e.action().name());
      g.writeStringField("at", DateTimeFormatter.ISO_INSTANT.format(storedPrecision(e.at())));
      g.writeStringField("actor", e.actor());
      g.writeStringField("outcome", e.outcome().code());
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
      writeDetails(g, event);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  /** The fields only some kinds have, after the envelope. */
  private static void writeDetails(JsonGenerator g, AuditEvent event) throws IOException {
    Optional<AuditEvent.SentClasses> classes = event instanceof AuditEvent.DisclosureSending sending
        ? sending.classes()
        : event instanceof AuditEvent.DisclosureSettled settled ? settled.classes() : Optional.empty();
    if (classes.isPresent()) {
      writeStrings(g, "sent", classes.get().sent());
      writeStrings(g, "withheld", classes.get().withheld());
      g.writeNumberField("withheldItems", classes.get().withheldItems());
    } else if (event instanceof AuditEvent.RefusalsRepeated repeated) {
      g.writeNumberField("repeated", repeated.times());
    }
  }

  private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
    g.writeArrayFieldStart(name);
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  private static void writeOptional(JsonGenerator g, String name, Optional<String> value) throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    } else {
      g.writeNullField(name);
    }
  }

  /** Reads back what {@link #write} wrote, and what every earlier version wrote. */
  static StoredAuditEntry read(String json) {
    try {
      JsonNode n = READER.readTree(json);
      JsonNode citizen = n.get("citizen");
      JsonNode consent = n.get("consent");
      List<String> reasons = strings(n.get("reasons"));
      AuditEntry entry = new AuditEntry(
          AuditAction.valueOf(n.get("action").asText()),
          Instant.parse(n.get("at").asText()),
          n.get("actor").asText(),
          AuditOutcome.ofCode(n.get("outcome").asText()),
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
      return new StoredAuditEntry(n.get("seq").asLong(), event(entry, n), json);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("stored audit entry is not canonical audit JSON", e);
    }
  }

  /** The typed event of an envelope and the kind's own fields (absent in entries written before them). */
  private static AuditEvent event(AuditEntry e, JsonNode n) {
    Instant at = e.at();
    String actor = e.actor();
    List<String> reasons = e.reasons();
    return switch (e.action()) {
      case CONSENT_CREATED -> new AuditEvent.ConsentRecorded(at, actor, required(e.citizen()), required(e.consent()),
          reasons);
      case CONSENT_CHANGED -> new AuditEvent.ConsentChanged(at, actor, required(e.citizen()), required(e.consent()),
          reasons);
      case CONSENT_WITHDRAWN -> new AuditEvent.ConsentWithdrawn(at, actor, required(e.citizen()),
          required(e.consent()), reasons);
      case CONSENT_READ -> new AuditEvent.ConsentRead(at, actor, e.citizen(), e.consent(), reasons);
      case CONSENT_DECISION -> new AuditEvent.ConsentDecided(at, actor, e.citizen(), required(e.messageId()),
          required(e.recipientId()), e.outcome() == AuditOutcome.PERMIT, e.consent(), reasons);
      case DISCLOSURE_ATTEMPT -> e.outcome() == AuditOutcome.SENDING
          ? new AuditEvent.DisclosureSending(at, actor, e.citizen(), required(e.messageId()),
              required(e.recipientId()), e.consent(), required(e.attempt()), required(e.sentSha256()),
              classes(n), reasons)
          : new AuditEvent.DisclosureSettled(at, actor, e.citizen(), required(e.messageId()), required(e.recipientId()),
              AuditEvent.Settlement.valueOf(e.outcome().name()), e.consent(), e.attempt(), e.sentSha256(), classes(n),
              reasons);
      case REQUEST_REFUSED -> n.has("repeated")
          ? new AuditEvent.RefusalsRepeated(at, actor, n.get("repeated").asLong(), reasons)
          : new AuditEvent.RequestRefused(at, actor, reasons);
      case AUDIT_READ -> new AuditEvent.AuditRead(at, actor, e.citizen(), reasons);
      case CITIZEN_LINKED -> new AuditEvent.CitizenLinked(at, actor, required(e.citizen()), reasons);
      case MESSAGE_RECEIVED -> new AuditEvent.MessageReceived(at, actor, e.citizen(), required(e.messageId()),
          required(e.recipientId()), e.consent(), reasons);
      case INBOX_HANDLED -> new AuditEvent.InboxHandled(at, actor, e.citizen(), required(e.messageId()),
          required(e.recipientId()), reasons);
      case ACKNOWLEDGEMENT_RECEIVED -> new AuditEvent.AcknowledgementReceived(at, actor, e.citizen(),
          required(e.messageId()), required(e.recipientId()), AuditEvent.AcknowledgementCode.valueOf(e.outcome().name()),
          reasons);
      case WITHDRAWAL_FENCED -> new AuditEvent.WithdrawalFenced(at, actor, required(e.citizen()),
          required(e.consent()), reasons);
      case DELIVERY_RERUN -> new AuditEvent.DeliveryRerun(at, actor, e.citizen(), required(e.messageId()),
          required(e.recipientId()), e.outcome() == AuditOutcome.REQUESTED, e.consent(), reasons);
      case DELIVERY_PAUSE -> new AuditEvent.DeliveryPaused(at, actor, required(e.recipientId()),
          e.outcome() == AuditOutcome.PAUSED, reasons);
    };
  }

  private static Optional<AuditEvent.SentClasses> classes(JsonNode n) {
    return n.has("sent")
        ? Optional.of(new AuditEvent.SentClasses(strings(n.get("sent")), strings(n.get("withheld")),
            n.get("withheldItems").asInt()))
        : Optional.empty();
  }

  private static <T> T required(Optional<T> value) {
    return value.orElseThrow(() -> new IllegalStateException("a field this kind of entry always has is null"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode value = n.get(field);
    return value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }
}
