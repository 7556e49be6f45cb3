package dk.brobygger.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brobygger.gateway.api.BaseUrl;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.Extension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CapabilityStatement says what the router's routes do: nothing more, nothing less. */
class CapabilityStatementFromRoutesTest {

  private final Vertx vertx = Vertx.vertx();
  private final Router router = Router.router(vertx);
  private final Handler<RoutingContext> anything = ctx -> ctx.response().end();

  @AfterEach
  void close() {
    vertx.close();
  }

  private CapabilityStatement statement(List<String> messageDefinitions) {
    return new CapabilityResource(new BaseUrl(Optional.empty()), "test", router::getRoutes, () -> messageDefinitions)
        .build("https://gateway.example");
  }

  private static CapabilityStatementRestResourceComponent resource(CapabilityStatement cs, String type) {
    return cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void eachRouteBecomesItsInteractionAndARouteThatOnlyRefusesIsNotDeclared() {
    router.route("/fhir/*").handler(anything);
    router.get("/fhir/metadata").handler(anything);
    router.post("/fhir/Consent").putMetadata(CapabilityResource.CONDITIONAL_CREATE, true)
        .putMetadata(CapabilityResource.PROFILE, "https://example.org/consent").handler(anything);
    router.get("/fhir/Consent").putMetadata(CapabilityResource.SEARCH_PARAMETERS, ConsentResource.SEARCH).handler(anything);
    router.get("/fhir/Consent/:id").handler(anything);
    router.put("/fhir/Consent/:id").putMetadata(CapabilityResource.PROFILE, "https://example.org/consent").handler(anything);
    router.get("/fhir/Consent/:id/_history").handler(anything);
    router.get("/fhir/Consent/:id/_history/:vid").handler(anything);
    router.delete("/fhir/Consent/:id").putMetadata(CapabilityResource.REFUSES, true).handler(anything);
    router.post("/fhir/$process-message").putMetadata(CapabilityResource.OPERATION, "http://example.org/op").handler(anything);
    router.post("/fhir/Bundle/$validate")
        .putMetadata(CapabilityResource.SUPPORTED_PROFILES, List.of("https://example.org/a", "https://example.org/b"))
        .handler(anything);
    router.get("/fhir/StructureDefinition/:id").handler(anything);
    router.get("/audit/export").handler(anything);

    CapabilityStatement cs = statement(List.of());

    assertThat(cs.getRestFirstRep().getResource()).extracting(r -> r.getType())
        .containsExactly("Consent", "Bundle", "StructureDefinition");
    CapabilityStatementRestResourceComponent consent = resource(cs, "Consent");
    assertThat(consent.getInteraction()).extracting(i -> i.getCode().toCode())
        .containsExactly("create", "search-type", "read", "update", "history-instance", "vread");
    assertThat(consent.getConditionalCreate()).isTrue();
    assertThat(consent.getVersioning()).isEqualTo(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
    assertThat(consent.getSearchParam()).extracting(p -> p.getName())
        .containsExactly("patient", "status", "identifier", "_id", "_count", "_offset", "_total", "_summary");
    assertThat(consent.getSearchParam().get(0).getDefinition()).isEqualTo("http://hl7.org/fhir/SearchParameter/clinical-patient");
    assertThat(consent.getSearchParam().get(0).getDocumentation()).contains(":identifier", ".identifier");
    assertThat(cs.getRestFirstRep().getOperation()).extracting(o -> o.getName() + " " + o.getDefinition())
        .containsExactly("process-message http://example.org/op");
    assertThat(resource(cs, "Bundle").getOperation()).extracting(o -> o.getName()).containsExactly("validate");
    assertThat(resource(cs, "Bundle").getInteraction()).isEmpty();
    assertThat(consent.getProfile()).isEqualTo("https://example.org/consent");
    assertThat(consent.getSupportedProfile()).extracting(p -> p.getValue()).containsExactly("https://example.org/consent");
    assertThat(resource(cs, "Bundle").hasProfile()).isFalse();
    assertThat(resource(cs, "Bundle").getSupportedProfile()).extracting(p -> p.getValue())
        .containsExactly("https://example.org/a", "https://example.org/b");
    assertThat(resource(cs, "StructureDefinition").hasSupportedProfile()).isFalse();
    assertThat(resource(cs, "StructureDefinition").getInteraction()).extracting(i -> i.getCode().toCode()).containsExactly("read");
  }

  @Test
  void securityDeclaresSmartBackendServicesWithItsTokenEndpointAndMutualTls() {
    CapabilityStatement.CapabilityStatementRestSecurityComponent security = statement(List.of()).getRestFirstRep().getSecurity();

    assertThat(security.getService()).flatExtracting(s -> s.getCoding()).extracting(c -> c.getCode())
        .containsExactly("SMART-on-FHIR", "Certificates");
    Extension oauth = security.getExtensionByUrl(CapabilityResource.OAUTH_URIS);
    assertThat(oauth.getExtensionByUrl("token").getValue().primitiveValue()).isEqualTo("https://gateway.example/auth/token");
  }

  @Test
  void messageDefinitionsAreCitedOnlyWhenTheGatewayServesThem() {
    assertThat(statement(List.of()).getMessagingFirstRep().getSupportedMessage()).isEmpty();
    assertThat(statement(List.of("https://brobygger.dk/fhir/MessageDefinition/referral")).getMessagingFirstRep()
        .getSupportedMessage()).extracting(m -> m.getDefinition())
        .containsExactly("https://brobygger.dk/fhir/MessageDefinition/referral");
  }
}
