package dk.brobygger.gateway.auditlog;

import dk.brobygger.fhir.identity.CitizenIdentifier;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.auditlog.entries.AuditLog;
import dk.brobygger.gateway.auditlog.entries.AuditQuery;
import dk.brobygger.gateway.auditlog.entries.StoredAuditEntry;
import dk.brobygger.gateway.search.CitizenCriterion;
import dk.brobygger.gateway.search.DateRange;
import dk.brobygger.gateway.search.Handling;
import dk.brobygger.gateway.search.SearchBundle;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;

/**
 * {@code GET /fhir/AuditEvent}: the privacy officer's search of the audit log, answered as a FHIR
 * searchset of BALP-shaped AuditEvents (see {@link AuditEvents}) in log order, paged like every
 * search ({@link SearchRequest}). Parameters ({@link #SEARCH}):
 *
 * <ul>
 *   <li>{@code patient} - the citizen as a reference (Patient/{id}), or {@code patient:identifier=system|value}
 *       (also the chain {@code patient.identifier}); matches any identifier of the citizen
 *   <li>{@code date} - with prefix ge, gt, le, lt or eq (none means eq); a day (yyyy-mm-dd, UTC) or
 *       an instant with offset; may be repeated to give a range
 *   <li>{@code agent} - the recorded actor, or only its id part (without "@address")
 *   <li>{@code entity} - a message id, or a consent id (also as Consent/id)
 *   <li>{@code outcome} - FHIR outcome codes 0, 4, 8 or recorded outcomes (permit, deny, delivered,
 *       ...), comma-separated for any of them
 * </ul>
 *
 * <p>Pages are by offset, which is stable because the log only grows at its end. Every search
 * appends an AUDIT_READ entry naming the caller and, for a patient search, the citizen: the
 * citizen's own trail shows who looked.
 */
public final class AuditEventResource {

  /** The search parameters of AuditEvent. */
  public static final List<SearchParam> SEARCH = List.of(
      SearchParam.patient("patient", SearchParam.fhir("AuditEvent-patient"),
          "the citizen: Patient/{id}, or patient:identifier=system|value (also patient.identifier); any identifier of the citizen"),
      SearchParam.of("date", SearchParamType.DATE, SearchParam.fhir("AuditEvent-date"),
          "when recorded: ge, gt, le, lt or eq with a day or an instant; repeat for a range"),
      SearchParam.of("agent", SearchParamType.TOKEN, "https://brobygger.dk/fhir/SearchParameter/AuditEvent-agent",
          "the recorded actor, or its directory id alone"),
      SearchParam.of("entity", SearchParamType.TOKEN, "https://brobygger.dk/fhir/SearchParameter/AuditEvent-entity",
          "a message id, or a consent id (also Consent/{id})"),
      SearchParam.of("outcome", SearchParamType.TOKEN, SearchParam.fhir("AuditEvent-outcome"),
          "0, 4, 8, 12 or a recorded outcome (permit, deny, delivered, ...); comma-separated for any"));
  private static final String WHAT = "AuditEvent search";

  private final AuditLog log;
  private final BaseUrl baseUrl;
  private final Clock clock;
  private final CitizenCriterion citizens;

  public AuditEventResource(AuditLog log, BaseUrl baseUrl, Clock clock, CitizenCriterion citizens) {
    this.log = Objects.requireNonNull(log, "log");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.citizens = Objects.requireNonNull(citizens, "citizens");
  }

  public FhirReply search(RoutingContext ctx, Caller caller) {
    return search(ctx.queryParams(), Handling.of(ctx), baseUrl.fhirBase(ctx), caller);
  }

  /** The search, for a FHIR base URL such as http://host/fhir. */
  public FhirReply search(MultiMap params, Handling handling, String fhirBase, Caller caller) {
    SearchRequest request = SearchRequest.of("AuditEvent", params, handling, SEARCH);
    Optional<List<CitizenIdentifier>> citizen = citizens.of(request, "patient");
    AuditQuery query = query(request, citizen.flatMap(ids -> ids.stream().findFirst()));
    boolean nothing = citizen.map(List::isEmpty).orElse(false);
    Optional<Long> total = request.total() ? Optional.of(nothing ? 0 : log.count(query)) : Optional.empty();
    int rows = SearchBundle.rowsToRead(request);
    List<StoredAuditEntry> page = nothing || rows == 0 ? List.of() : log.search(query, request.offset(), rows);

    Bundle bundle = SearchBundle.page(request, fhirBase, total, page.stream()
        .map(entry -> new SearchBundle.Match(fhirBase + "/AuditEvent/" + entry.sequence(), AuditEvents.of(entry)))
        .toList());
    int shown = Math.min(page.size(), request.count());
    log.append(new dk.brobygger.gateway.auditlog.entries.AuditEvent.AuditRead(clock.instant(), caller.actor(),
        query.citizen(), List.of("AuditEvent search " + describe(params),
            shown + (total.isPresent() ? " of " + total.get() : "") + " entries returned")));
    return FhirReply.ok(bundle);
  }

  static AuditQuery query(SearchRequest params, Optional<CitizenIdentifier> patient) {
    DateRange date = DateRange.of(params.values("date"), "date", WHAT);
    Optional<String> agent = params.single("agent");
    Optional<String> entity = params.single("entity")
        .map(value -> value.startsWith("Consent/") ? value.substring("Consent/".length()).replaceAll("/_history/.*$", "")
            : value);
    Set<String> outcomes = new HashSet<>();
    for (String value : params.anyOf("outcome")) {
      switch (value) {
        case "0" -> outcomes.addAll(AuditEvents.SUCCESS);
        case "4" -> outcomes.addAll(AuditEvents.MINOR_FAILURE);
        case "8" -> outcomes.addAll(AuditEvents.SERIOUS_FAILURE);
        case "12" -> outcomes.add("no recorded outcome is a major failure");
        default -> outcomes.add(value);
      }
    }
    return new AuditQuery(patient, date.from(), date.until(), agent, entity, outcomes, Set.of());
  }

  private static String describe(MultiMap params) {
    List<String> parts = new ArrayList<>();
    for (String name : params.names().stream().sorted().toList()) {
      params.getAll(name).forEach(value -> parts.add(name + "=" + value));
    }
    return parts.isEmpty() ? "(all)" : String.join("&", parts);
  }
}
