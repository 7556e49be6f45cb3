package dk.brobygger.gateway.auditlog.entries;

import dk.brobygger.fhir.consent.ConsentVersion;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the audit log records: one record per action. Each has one canonical serialisation
 * ({@link CanonicalAuditJson}): the envelope every entry has ({@link #entry()}), then the fields only
 * its kind has. Readers switch on the type and read typed fields; {@code reasons} are sentences for
 * people and are never parsed back.
 *
 * <p>Entries written before a field existed decode with that field empty (e.g. the classes of a
 * sending recorded before they were), so old entries keep their bytes and stay readable.
 */
public sealed interface AuditEvent {

  /** When it happened. */
  Instant at();

  /** The calling system or user ("id@address"), or "gateway" for delivery. */
  String actor();

  /** The envelope: action, outcome and the references every entry has, as stored and searched. */
  AuditEntry entry();

  /** A consent recorded for the first time (version 1). */
  record ConsentRecorded(Instant at, String actor, CitizenIdentifier citizen, ConsentVersion consent,
      List<String> reasons) implements AuditEvent {
    public ConsentRecorded {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.CONSENT_CREATED, this, AuditOutcome.CREATED, Optional.of(citizen), Optional.of(consent),
          reasons);
    }
  }

  /** A new version of a consent that still holds. */
  record ConsentChanged(Instant at, String actor, CitizenIdentifier citizen, ConsentVersion consent,
      List<String> reasons) implements AuditEvent {
    public ConsentChanged {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.CONSENT_CHANGED, this, AuditOutcome.CHANGED, Optional.of(citizen), Optional.of(consent),
          reasons);
    }
  }

  /** A consent withdrawn: its new version no longer permits anything. */
  record ConsentWithdrawn(Instant at, String actor, CitizenIdentifier citizen, ConsentVersion consent,
      List<String> reasons) implements AuditEvent {
    public ConsentWithdrawn {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.CONSENT_WITHDRAWN, this, AuditOutcome.WITHDRAWN, Optional.of(citizen),
          Optional.of(consent), reasons);
    }
  }

  /** Someone read consents (one, a version, or a search), about a citizen when it was about one. */
  record ConsentRead(Instant at, String actor, Optional<CitizenIdentifier> citizen, Optional<ConsentVersion> consent,
      List<String> reasons) implements AuditEvent {
    public ConsentRead {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.CONSENT_READ, this, AuditOutcome.READ, citizen, consent, reasons);
    }
  }

  /** The consent decision on an incoming message: accepted for the outbox, or refused. */
  record ConsentDecided(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId,
      String recipientId, boolean permitted, Optional<ConsentVersion> basis, List<String> reasons)
      implements AuditEvent {
    public ConsentDecided {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(recipientId, "recipientId");
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.CONSENT_DECISION, at, actor, permitted ? AuditOutcome.PERMIT : AuditOutcome.DENY,
          citizen, Optional.of(messageId), Optional.of(recipientId), basis, Optional.empty(), Optional.empty(), reasons);
    }
  }

  /**
   * What one attempt is about to send, recorded durably before the bytes leave.
   *
   * @param sentSha256 hex SHA-256 of the exact (sealed) bytes
   * @param classes what minimisation left in and took out; empty for entries written before it was
   *     recorded
   */
  record DisclosureSending(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId,
      String recipientId, Optional<ConsentVersion> basis, int attempt, String sentSha256,
      Optional<SentClasses> classes, List<String> reasons) implements AuditEvent {
    public DisclosureSending {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(recipientId, "recipientId");
      Objects.requireNonNull(sentSha256, "sentSha256");
      Objects.requireNonNull(classes, "classes");
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.DISCLOSURE_ATTEMPT, at, actor, AuditOutcome.SENDING, citizen,
          Optional.of(messageId), Optional.of(recipientId), basis, Optional.of(attempt), Optional.of(sentSha256),
          reasons);
    }
  }

  /**
   * The kinds of data one disclosure carried, after minimisation: what the citizen's report says was
   * sent.
   *
   * @param sent the resource types in the minimised message, in order of first appearance, without
   *     the MessageHeader (the envelope, not data about the citizen)
   * @param withheld the data classes (security label codes) the consent excluded, sorted
   * @param withheldItems how many resources and references minimisation removed for them
   */
  record SentClasses(List<String> sent, List<String> withheld, int withheldItems) {
    public SentClasses {
      sent = List.copyOf(sent);
      withheld = List.copyOf(withheld);
    }
  }

  /** How one delivery round ended. */
  enum Settlement {
    DELIVERED(AuditOutcome.DELIVERED),
    RETRY(AuditOutcome.RETRY),
    FAILED(AuditOutcome.FAILED),
    CANCELLED(AuditOutcome.CANCELLED);

    private final AuditOutcome outcome;

    Settlement(AuditOutcome outcome) {
      this.outcome = outcome;
    }

    public AuditOutcome outcome() {
      return outcome;
    }
  }

  /**
   * One delivery round of one disclosure settled: delivered, retry, failed or cancelled.
   *
   * @param basis the consent version the re-check rested on, when one was taken
   * @param attempt the attempt number, for rounds that count as an attempt
   * @param sentSha256 the fingerprint of the bytes, when they may have reached the recipient
   * @param classes what those bytes carried, as the attempt's {@link DisclosureSending} recorded it;
   *     empty when nothing may have reached the recipient, and in entries written before it was
   *     recorded
   */
  record DisclosureSettled(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId,
      String recipientId, Settlement settlement, Optional<ConsentVersion> basis, Optional<Integer> attempt,
      Optional<String> sentSha256, Optional<SentClasses> classes, List<String> reasons) implements AuditEvent {
    public DisclosureSettled {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(recipientId, "recipientId");
      Objects.requireNonNull(settlement, "settlement");
      Objects.requireNonNull(classes, "classes");
      if (classes.isPresent() && sentSha256.isEmpty()) {
        throw new IllegalArgumentException("classes are recorded only for bytes that may have been sent");
      }
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.DISCLOSURE_ATTEMPT, at, actor, settlement.outcome(), citizen,
          Optional.of(messageId), Optional.of(recipientId), basis, attempt, sentSha256, reasons);
    }
  }

  /** A request refused before any consent decision (authentication, validation, ...). */
  record RequestRefused(Instant at, String actor, List<String> reasons) implements AuditEvent {
    public RequestRefused {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.REQUEST_REFUSED, this, AuditOutcome.REFUSED, Optional.empty(), Optional.empty(), reasons);
    }
  }

  /**
   * The same refusal repeated within one window after its first entry, recorded once with a count.
   * Entries written before the count was a field decode as {@link RequestRefused}.
   *
   * @param times how many more times it happened after the window's first entry
   */
  record RefusalsRepeated(Instant at, String actor, long times, List<String> reasons) implements AuditEvent {
    public RefusalsRepeated {
      if (times < 1) {
        throw new IllegalArgumentException("a repeated refusal happened at least once more");
      }
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.REQUEST_REFUSED, this, AuditOutcome.REFUSED, Optional.empty(), Optional.empty(), reasons);
    }
  }

  /** Someone read the audit log (a search, a report, an export, a proof). */
  record AuditRead(Instant at, String actor, Optional<CitizenIdentifier> citizen, List<String> reasons)
      implements AuditEvent {
    public AuditRead {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.AUDIT_READ, this, AuditOutcome.READ, citizen, Optional.empty(), reasons);
    }
  }

  /** Identifiers recorded as naming one citizen. */
  record CitizenLinked(Instant at, String actor, CitizenIdentifier citizen, List<String> reasons)
      implements AuditEvent {
    public CitizenLinked {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.CITIZEN_LINKED, this, AuditOutcome.LINKED, Optional.of(citizen), Optional.empty(),
          reasons);
    }
  }

  /** An inbound message put in a team's inbox. */
  record MessageReceived(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId,
      String ownerId, Optional<ConsentVersion> basis, List<String> reasons) implements AuditEvent {
    public MessageReceived {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(ownerId, "ownerId");
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.MESSAGE_RECEIVED, at, actor, AuditOutcome.RECEIVED, citizen,
          Optional.of(messageId), Optional.of(ownerId), basis, Optional.empty(), Optional.empty(), reasons);
    }
  }

  /** An inbox item marked as handled. */
  record InboxHandled(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId, String ownerId,
      List<String> reasons) implements AuditEvent {
    public InboxHandled {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(ownerId, "ownerId");
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.INBOX_HANDLED, at, actor, AuditOutcome.HANDLED, citizen,
          Optional.of(messageId), Optional.of(ownerId), Optional.empty(), Optional.empty(), Optional.empty(), reasons);
    }
  }

  /** A recipient's acknowledgement codes (FHIR MessageHeader.response.code). */
  enum AcknowledgementCode {
    OK(AuditOutcome.OK),
    TRANSIENT_ERROR(AuditOutcome.TRANSIENT_ERROR),
    FATAL_ERROR(AuditOutcome.FATAL_ERROR);

    private final AuditOutcome outcome;

    AcknowledgementCode(AuditOutcome outcome) {
      this.outcome = outcome;
    }

    public AuditOutcome outcome() {
      return outcome;
    }

    /** The code as FHIR writes it (ok, transient-error, fatal-error). */
    public String code() {
      return outcome.code();
    }

    /** The code with this FHIR text; empty for any other text. */
    public static Optional<AcknowledgementCode> of(String code) {
      for (AcknowledgementCode c : values()) {
        if (c.code().equals(code)) {
          return Optional.of(c);
        }
      }
      return Optional.empty();
    }
  }

  /** A recipient's asynchronous acknowledgement of a message delivered to it. */
  record AcknowledgementReceived(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId,
      String recipientId, AcknowledgementCode code, List<String> reasons) implements AuditEvent {
    public AcknowledgementReceived {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(recipientId, "recipientId");
      Objects.requireNonNull(code, "code");
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.ACKNOWLEDGEMENT_RECEIVED, at, actor, code.outcome(), citizen,
          Optional.of(messageId), Optional.of(recipientId), Optional.empty(), Optional.empty(), Optional.empty(),
          reasons);
    }
  }

  /**
   * The deliveries that were in flight when a consent was withdrawn, once all had ended: the
   * withdrawal was answered only after this.
   */
  record WithdrawalFenced(Instant at, String actor, CitizenIdentifier citizen, ConsentVersion consent,
      List<String> reasons) implements AuditEvent {
    public WithdrawalFenced {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return about(AuditAction.WITHDRAWAL_FENCED, this, AuditOutcome.FENCED, Optional.of(citizen),
          Optional.of(consent), reasons);
    }
  }

  /**
   * An operator asked to re-run a failed or cancelled delivery: {@code requested} after the consent
   * re-check permitted it, {@code refused} when it did not.
   */
  record DeliveryRerun(Instant at, String actor, Optional<CitizenIdentifier> citizen, String messageId,
      String recipientId, boolean requested, Optional<ConsentVersion> consent, List<String> reasons)
      implements AuditEvent {
    public DeliveryRerun {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.DELIVERY_RERUN, at, actor, requested ? AuditOutcome.REQUESTED
          : AuditOutcome.REFUSED, citizen, Optional.of(messageId), Optional.of(recipientId), consent, Optional.empty(),
          Optional.empty(), reasons);
    }
  }

  /** Delivery to one recipient paused or resumed by an operator. */
  record DeliveryPaused(Instant at, String actor, String recipientId, boolean paused, List<String> reasons)
      implements AuditEvent {
    public DeliveryPaused {
      reasons = List.copyOf(reasons);
    }

    @Override
    public AuditEntry entry() {
      return new AuditEntry(AuditAction.DELIVERY_PAUSE, at, actor, paused ? AuditOutcome.PAUSED : AuditOutcome.RESUMED,
          Optional.empty(), Optional.empty(), Optional.of(recipientId), Optional.empty(), Optional.empty(),
          Optional.empty(), reasons);
    }
  }

  /** The envelope of an event that names no message, recipient or attempt. */
  private static AuditEntry about(AuditAction action, AuditEvent event, AuditOutcome outcome,
      Optional<CitizenIdentifier> citizen, Optional<ConsentVersion> consent, List<String> reasons) {
    return new AuditEntry(action, event.at(), event.actor(), outcome, citizen, Optional.empty(), Optional.empty(),
        consent, Optional.empty(), Optional.empty(), reasons);
  }
}
