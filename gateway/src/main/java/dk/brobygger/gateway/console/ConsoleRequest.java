package dk.brobygger.gateway.console;

import dk.brobygger.fhir.Rejected;
import dk.brobygger.gateway.auth.Caller;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request of a signed-in person, after the session, role and CSRF checks passed.
 *
 * @param ctx the HTTP request (its form fields, query and path parameters)
 * @param session the person's session
 * @param person who asks
 * @param address the remote address, for the audit trail
 * @param until when the session ends at the latest if unused (the caller's credentials expire then)
 * @param insecureSample whether the INSECURE sample sign-in is on
 */
public record ConsoleRequest(RoutingContext ctx, ConsoleSession session, ConsolePerson person, String address,
    Instant until, boolean insecureSample) {

  /** The form field that carries the CSRF token. */
  public static final String CSRF_FIELD = "csrf";
  /** The header that carries it on htmx requests. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  public ConsoleRequest {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(until, "until");
  }

  /** The audit actor: party, then the person. */
  public String actor() {
    return person.actor(address);
  }

  /** The person as a caller of the gateway's stores and ingress, with the team's API role. */
  public Caller caller() {
    return person.caller(address, until);
  }

  /** The frame of a page with this title. */
  public PageFrame frame(String title) {
    return new PageFrame(title, Optional.of(person), session.csrfToken(), insecureSample);
  }

  /** A form field or query parameter, trimmed; empty when absent or blank. */
  public Optional<String> field(String name) {
    String value = ctx.request().getFormAttribute(name);
    if (value == null) {
      value = ctx.request().getParam(name);
    }
    return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** Every value of a repeated form field (check boxes). */
  public List<String> fields(String name) {
    return ctx.request().formAttributes().getAll(name);
  }

  /** A required form field, else a 422 naming it in Danish. */
  public String required(String name, String danishLabel) {
    return field(name).orElseThrow(() -> new Rejected(Rejected.Kind.INVALID, "Udfyld feltet \"" + danishLabel + "\""));
  }

  public String pathParam(String name) {
    return ctx.pathParam(name);
  }

  /** Whether htmx asked (the answer is then a fragment, not a whole page). */
  public boolean fromHtmx() {
    return "true".equals(ctx.request().getHeader("HX-Request"));
  }
}
