package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.gateway.search.SearchParam;
import dk.brobygger.gateway.search.SearchRequest;
import dk.brobygger.fhir.Code;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import dk.brobygger.fhir.message.MessageEvent;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * {@code GET /fhir/metadata}: exactly what this gateway supports, no more, generated from the
 * routes the router has: a route's method and path say the interaction (GET /fhir/T/:id is read,
 * POST /fhir/T/$op an operation, ...), and what a path cannot say comes with the route as metadata:
 * its search parameters ({@link #SEARCH_PARAMETERS}), the definition of an operation
 * ({@link #OPERATION}), conditional create ({@link #CONDITIONAL_CREATE}), and routes that exist only
 * to refuse ({@link #REFUSES}). A route added to the router is declared here without further code.
 */
public final class CapabilityResource {

  /** Route metadata: the {@code List<SearchParam>} of a search route. */
  public static final String SEARCH_PARAMETERS = "fhir.search-parameters";
  /** Route metadata: the canonical URL of the OperationDefinition of an operation route. */
  public static final String OPERATION = "fhir.operation";
  /** Route metadata: {@code true} on a create route that honours If-None-Exist. */
  public static final String CONDITIONAL_CREATE = "fhir.conditional-create";
  /** Route metadata: {@code true} on a route that only refuses (e.g. DELETE of a consent, 405): not declared. */
  public static final String REFUSES = "fhir.refuses";
  /**
   * Route metadata: the canonical URL of the one profile the route holds every instance of its
   * resource type to (e.g. Consent create: brobygger-consent); declared as the type's {@code profile}
   * and among its {@code supportedProfile}s.
   */
  public static final String PROFILE = "fhir.profile";
  /** Route metadata: the {@code List<String>} of profiles the route accepts (e.g. one message Bundle per event). */
  public static final String SUPPORTED_PROFILES = "fhir.supported-profiles";

  /** The SMART extension that names the OAuth endpoints. */
  static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
  static final String SECURITY_SERVICES = "http://terminology.hl7.org/CodeSystem/restful-security-service";

  private static final String FHIR = "/fhir/";
  private static final Map<String, String> DOCUMENTATION = Map.of(
      "Consent", "the consent registry: every version kept, never deleted (a withdrawal is an update to inactive)",
      "Task", "delivery Tasks (one accepted message to one recipient) and inbox items (a message received for the "
          + "outreach team; update with status completed marks it handled)",
      "Bundle", "a stored message, by MessageHeader.id: one the caller sent or that is in its inbox",
      "Patient", "a citizen as the identifiers linked to one another; the id names the citizen in searches",
      "AuditEvent", "the verifiable audit log, for the privacy officer");

  private final BaseUrl baseUrl;
  private final String version;
  private final Supplier<List<Route>> routes;
  private final Supplier<List<String>> messageDefinitions;
  private final Date started = new Date();

  /**
   * @param routes the router's routes, read on every request (routes may be added after start)
   * @param messageDefinitions the canonical URLs of the MessageDefinitions the gateway serves, cited
   *     as supported messages; none are cited while there are none
   */
  public CapabilityResource(BaseUrl baseUrl, String version, Supplier<List<Route>> routes,
      Supplier<List<String>> messageDefinitions) {
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    this.version = Objects.requireNonNull(version, "version");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.messageDefinitions = Objects.requireNonNull(messageDefinitions, "messageDefinitions");
  }

  public FhirReply read(RoutingContext ctx, Caller caller) {
    return FhirReply.ok(build(baseUrl.of(ctx)));
  }

  /** The statement for the gateway at this base URL (e.g. https://host:8443). */
  CapabilityStatement build(String base) {
    CapabilityStatement cs = new CapabilityStatement();
    cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
    cs.setDate(started);
    cs.setPublisher("Brobygger");
    cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
    cs.getSoftware().setName("Brobygger consent-controlled referral gateway").setVersion(version);
    cs.getImplementation().setDescription("Brobygger gateway").setUrl(base + "/fhir");
    cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
    cs.addFormat("application/fhir+json");
    cs.addFormat("application/fhir+xml");
    cs.addFormat("json");
    cs.addFormat("xml");

    CapabilityStatementRestComponent rest = cs.addRest();
    rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    rest.setDocumentation("Consent registry, FHIR messaging ($process-message) and delivery Tasks. Searches are paged "
        + "(_count at most " + SearchRequest.MAX_COUNT + "); an unsupported search parameter is refused with 400 unless "
        + "the request says Prefer: handling=lenient.");
    security(rest, base);

    Map<String, CapabilityStatementRestResourceComponent> resources = new LinkedHashMap<>();
    for (Route route : routes.get()) {
      declare(rest, resources, route);
    }
    for (CapabilityStatementRestResourceComponent resource : resources.values()) {
      if (resource.getInteraction().stream().anyMatch(i -> i.getCode() == TypeRestfulInteraction.VREAD)) {
        resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
        resource.setReadHistory(true);
      }
      if (resource.getInteraction().stream().anyMatch(i -> i.getCode() == TypeRestfulInteraction.UPDATE)) {
        resource.setUpdateCreate(false);
        resource.setConditionalUpdate(false);
      }
      resource.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
    }

    messaging(cs);
    return cs;
  }

  /** SMART Backend Services (client credentials with a signed assertion) and mutual TLS. */
  private static void security(CapabilityStatementRestComponent rest, String base) {
    CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
    security.setCors(false);
    security.addService(new CodeableConcept(new Coding(SECURITY_SERVICES, "SMART-on-FHIR", "SMART-on-FHIR"))
        .setText("SMART Backend Services: a bearer token from the token endpoint, for a client assertion (private_key_jwt)"));
    security.addService(new CodeableConcept(new Coding(SECURITY_SERVICES, "Certificates", "Certificates"))
        .setText("mutual TLS: a client certificate of a party in the directory, issued by the gateway's client CA"));
    Extension oauth = security.addExtension().setUrl(OAUTH_URIS);
    oauth.addExtension().setUrl("token").setValue(new UriType(base + "/auth/token"));
    security.setDescription("Every request under /fhir except /fhir/metadata needs an access token (Authorization: "
        + "Bearer, from " + base + "/auth/token; discovery at " + base + "/.well-known/smart-configuration) or a client "
        + "certificate. What a caller sees is limited to what its party recorded, sent or received.");
  }

  private void messaging(CapabilityStatement cs) {
    List<String> definitions = messageDefinitions.get();
    CapabilityStatement.CapabilityStatementMessagingComponent messaging = cs.addMessaging();
    messaging.setDocumentation("Messages are accepted synchronously ($process-message: 202 + the Task that tracks "
        + "delivery) and delivered to MessageHeader.destination.receiver after a consent decision.");
    for (String definition : definitions) {
      messaging.addSupportedMessage().setMode(CapabilityStatement.EventCapabilityMode.RECEIVER).setDefinition(definition);
    }
    for (MessageEvent event : MessageEvent.values()) {
      cs.addExtension()
          .setUrl("https://brobygger.dk/fhir/StructureDefinition/supported-message-event")
          .setValue(new Coding(Code.MESSAGE_EVENTS, event.code().code(), event.label()));
    }
  }

  /** Adds what one route does, if it is a FHIR interaction. */
  private static void declare(CapabilityStatementRestComponent rest,
      Map<String, CapabilityStatementRestResourceComponent> resources, Route route) {
    String path = route.getPath();
    if (path == null || !path.startsWith(FHIR) || route.methods() == null || route.methods().size() != 1
        || Boolean.TRUE.equals(route.getMetadata(REFUSES))) {
      return;
    }
    HttpMethod method = route.methods().iterator().next();
    String[] parts = path.substring(FHIR.length()).split("/");
    if (parts.length == 1 && parts[0].startsWith("$")) {
      rest.addOperation().setName(parts[0].substring(1)).setDefinition(operation(route, parts[0]));
      return;
    }
    String type = parts[0];
    if (type.equals("metadata") || type.isEmpty() || !Character.isUpperCase(type.charAt(0))) {
      return;
    }
    CapabilityStatementRestResourceComponent resource = resources.computeIfAbsent(type, t -> {
      CapabilityStatementRestResourceComponent r = rest.addResource().setType(t);
      if (DOCUMENTATION.containsKey(t)) {
        r.setDocumentation(DOCUMENTATION.get(t));
      }
      return r;
    });
    profiles(resource, route);
    String last = parts[parts.length - 1];
    if (last.startsWith("$")) {
      resource.addOperation().setName(last.substring(1)).setDefinition(operation(route, last));
      return;
    }
    String shape = String.join("/", java.util.Arrays.stream(parts).skip(1).map(p -> p.startsWith(":") ? ":" : p).toList());
    TypeRestfulInteraction interaction = switch (method.name() + " " + shape) {
      case "GET " -> TypeRestfulInteraction.SEARCHTYPE;
      case "POST " -> TypeRestfulInteraction.CREATE;
      case "GET :" -> TypeRestfulInteraction.READ;
      case "PUT :" -> TypeRestfulInteraction.UPDATE;
      case "DELETE :" -> TypeRestfulInteraction.DELETE;
      case "GET :/_history" -> TypeRestfulInteraction.HISTORYINSTANCE;
      case "GET :/_history/:" -> TypeRestfulInteraction.VREAD;
      case "GET _history" -> TypeRestfulInteraction.HISTORYTYPE;
      default -> null;
    };
    if (interaction == null) {
      return;
    }
    resource.addInteraction().setCode(interaction);
    if (interaction == TypeRestfulInteraction.SEARCHTYPE) {
      List<SearchParam> parameters = new ArrayList<>(searchParameters(route));
      parameters.addAll(SearchRequest.RESULT_PARAMETERS);
      for (SearchParam parameter : parameters) {
        CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent declared = resource.addSearchParam()
            .setName(parameter.name()).setType(parameter.type()).setDocumentation(documentation(parameter));
        parameter.definition().ifPresent(declared::setDefinition);
      }
    }
    if (interaction == TypeRestfulInteraction.CREATE) {
      resource.setConditionalCreate(Boolean.TRUE.equals(route.getMetadata(CONDITIONAL_CREATE)));
    }
  }

  /** The route's {@link #PROFILE} and {@link #SUPPORTED_PROFILES}, each declared once per resource type. */
  @SuppressWarnings("unchecked")
  private static void profiles(CapabilityStatementRestResourceComponent resource, Route route) {
    List<String> supported = new ArrayList<>();
    Object profile = route.getMetadata(PROFILE);
    if (profile != null) {
      resource.setProfile(profile.toString());
      supported.add(profile.toString());
    }
    Object more = route.getMetadata(SUPPORTED_PROFILES);
    if (more != null) {
      supported.addAll((List<String>) more);
    }
    for (String url : supported) {
      if (!resource.hasSupportedProfile(url)) {
        resource.addSupportedProfile(url);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<SearchParam> searchParameters(Route route) {
    Object declared = route.getMetadata(SEARCH_PARAMETERS);
    return declared == null ? List.of() : (List<SearchParam>) declared;
  }

  private static String documentation(SearchParam parameter) {
    StringBuilder text = new StringBuilder(parameter.documentation());
    if (!parameter.modifiers().isEmpty()) {
      text.append(". Modifiers: :").append(String.join(", :", parameter.modifiers().stream().sorted().toList()));
    }
    if (!parameter.chains().isEmpty()) {
      text.append(". Chains: .").append(String.join(", .", parameter.chains().stream().sorted().toList()));
    }
    return text.toString();
  }

  private static String operation(Route route, String name) {
    Object definition = route.getMetadata(OPERATION);
    return definition != null ? definition.toString() : "http://hl7.org/fhir/OperationDefinition/Resource-" + name.substring(1);
  }
}
