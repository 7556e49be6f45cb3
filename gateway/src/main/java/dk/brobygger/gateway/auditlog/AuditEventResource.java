package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.AuditQuery;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;

/**
 * {@code GET /fhir/AuditEvent}: the privacy officer's search of the audit log, answered as a FHIR
 * searchset of BALP-shaped AuditEvents (see {@link AuditEvents}) in log order. Parameters:
 *
 * <ul>
 *   <li>{@code patient} - an identifier token system|value; matches any identifier of the citizen
 *   <li>{@code date} - with prefix ge, gt, le, lt or eq (none means eq); a day (yyyy-mm-dd, UTC) or
 *       an instant with offset; may be repeated to give a range
 *   <li>{@code agent} - the recorded actor, or only its id part (without "@address")
 *   <li>{@code entity} - a message id, or a consent id (also as Consent/id)
 *   <li>{@code outcome} - FHIR outcome codes 0, 4, 8 or recorded outcomes (permit, deny, delivered,
 *       ...), comma-separated for any of them
 *   <li>{@code _count} (default 50, at most 500) and {@code _offset}; the Bundle links next and
 *       previous page by offset, which is stable because the log only grows at its end
 * </ul>
 *
 * <p>Every search appends an AUDIT_READ entry naming the caller and, for a patient search, the
 * citizen: the citizen's own trail shows who looked.
 */
public final class AuditEventResource {

  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 500;
  private static final Set<String> PARAMETERS =
      Set.of("patient", "date", "agent", "entity", "outcome", "_count", "_offset", "_format");
  private static final String WHAT = "AuditEvent search";

  private final AuditLog log;
  private final BaseUrl baseUrl;
  private final Clock clock;

  public AuditEventResource(AuditLog log, BaseUrl baseUrl, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public FhirReply search(RoutingContext ctx, Caller caller) {
    return search(ctx.queryParams(), baseUrl.fhirBase(ctx), caller);
  }

  /** The search, for a FHIR base URL such as http://host/fhir. */
  public FhirReply search(MultiMap params, String fhirBase, Caller caller) {
    QueryParameters.requireKnown(params, PARAMETERS, WHAT);
    AuditQuery query = query(params);
    int count = QueryParameters.wholeNumber(params, "_count", WHAT).map(n -> (int) Math.min(n, MAX_COUNT))
        .orElse(DEFAULT_COUNT);
    long offset = QueryParameters.wholeNumber(params, "_offset", WHAT).orElse(0L);
    long total = log.count(query);
    List<StoredAuditEntry> page = count == 0 ? List.of() : log.search(query, offset, count);

    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal((int) Math.min(total, Integer.MAX_VALUE));
    bundle.addLink().setRelation("self").setUrl(link(fhirBase, params, offset, count));
    if (count > 0 && offset + count < total) {
      bundle.addLink().setRelation("next").setUrl(link(fhirBase, params, offset + count, count));
    }
    if (offset > 0 && count > 0) {
      bundle.addLink().setRelation("previous").setUrl(link(fhirBase, params, Math.max(0, offset - count), count));
    }
    for (StoredAuditEntry entry : page) {
      bundle.addEntry()
          .setFullUrl(fhirBase + "/AuditEvent/" + entry.sequence())
          .setResource(AuditEvents.of(entry))
          .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    log.append(new dk.brobygger.gateway.auditlog.entries.AuditEvent.AuditRead(clock.instant(), caller.actor(),
        query.citizen(), List.of("AuditEvent search " + describe(params), page.size() + " of " + total
            + " entries returned")));
    return FhirReply.ok(bundle);
  }

  static AuditQuery query(MultiMap params) {
    Optional<CitizenIdentifier> patient = QueryParameters.single(params, "patient", WHAT).map(token ->
        CitizenIdentifier.parseToken(token).orElseThrow(() -> new Rejected(Rejected.Kind.INVALID,
            WHAT + " rejected: patient must be an identifier token system|value, e.g. "
                + CitizenIdentifier.CPR + "|0101801234")));
    Optional<Instant> from = Optional.empty();
    Optional<Instant> until = Optional.empty();
    for (String date : params.getAll("date")) {
      DateBound bound = DateBound.parse(date);
      if (bound.from().isPresent() && (from.isEmpty() || bound.from().get().isAfter(from.get()))) {
        from = bound.from();
      }
      if (bound.until().isPresent() && (until.isEmpty() || bound.until().get().isBefore(until.get()))) {
        until = bound.until();
      }
    }
    Optional<String> agent = QueryParameters.single(params, "agent", WHAT);
    Optional<String> entity = QueryParameters.single(params, "entity", WHAT)
        .map(value -> value.startsWith("Consent/") ? value.substring("Consent/".length()).replaceAll("/_history/.*$", "")
            : value);
    Set<String> outcomes = new HashSet<>();
    QueryParameters.single(params, "outcome", WHAT).ifPresent(text -> {
      for (String value : text.split(",")) {
        switch (value.trim()) {
          case "0" -> outcomes.addAll(AuditEvents.SUCCESS);
          case "4" -> outcomes.addAll(AuditEvents.MINOR_FAILURE);
          case "8" -> outcomes.addAll(AuditEvents.SERIOUS_FAILURE);
          case "12" -> outcomes.add("no recorded outcome is a major failure");
          case "" -> throw new Rejected(Rejected.Kind.INVALID, WHAT + " rejected: outcome has an empty value");
          default -> outcomes.add(value.trim());
        }
      }
    });
    return new AuditQuery(patient, from, until, agent, entity, outcomes, Set.of());
  }

  /** One {@code date} parameter as a half-open interval [from, until). */
  record DateBound(Optional<Instant> from, Optional<Instant> until) {

    static DateBound parse(String text) {
      String prefix = text.length() > 2 && Character.isLetter(text.charAt(0)) ? text.substring(0, 2) : "eq";
      String value = prefix.equals("eq") && !text.startsWith("eq") ? text : text.substring(2);
      Instant start;
      Instant end;
      try {
        if (value.length() == 10) {
          start = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
          end = start.plus(1, ChronoUnit.DAYS);
        } else {
          start = OffsetDateTime.parse(value).toInstant();
          end = start.plus(1, ChronoUnit.MICROS);
        }
      } catch (DateTimeParseException e) {
        throw new Rejected(Rejected.Kind.INVALID, WHAT + " rejected: date '" + text
            + "' is not a day (2025-03-01) or an instant with offset (2025-03-01T08:00:00Z), with prefix ge, gt, le, lt or eq");
      }
      return switch (prefix) {
        case "ge" -> new DateBound(Optional.of(start), Optional.empty());
        case "gt" -> new DateBound(Optional.of(end), Optional.empty());
        case "le" -> new DateBound(Optional.empty(), Optional.of(end));
        case "lt" -> new DateBound(Optional.empty(), Optional.of(start));
        case "eq" -> new DateBound(Optional.of(start), Optional.of(end));
        default -> throw new Rejected(Rejected.Kind.INVALID,
            WHAT + " rejected: date prefix '" + prefix + "' is not supported (ge, gt, le, lt, eq)");
      };
    }
  }

  private static String link(String fhirBase, MultiMap params, long offset, int count) {
    List<String> parts = new ArrayList<>();
    for (String name : params.names().stream().sorted().toList()) {
      if (name.equals("_offset") || name.equals("_count")) {
        continue;
      }
      for (String value : params.getAll(name)) {
        parts.add(encode(name) + "=" + encode(value));
      }
    }
    parts.add("_count=" + count);
    parts.add("_offset=" + offset);
    return fhirBase + "/AuditEvent?" + String.join("&", parts);
  }

  private static String describe(MultiMap params) {
    List<String> parts = new ArrayList<>();
    for (String name : params.names().stream().sorted().toList()) {
      params.getAll(name).forEach(value -> parts.add(name + "=" + value));
    }
    return parts.isEmpty() ? "(all)" : String.join("&", parts);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
