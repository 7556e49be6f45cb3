package dk.brobygger.gateway.http;

import dk.brobygger.gateway.api.FhirReply;
import dk.brobygger.gateway.api.BaseUrl;
import dk.brobygger.gateway.auth.Caller;
import dk.brobygger.fhir.Code;
import io.vertx.ext.web.RoutingContext;
import java.util.Date;
import dk.brobygger.fhir.message.MessageEvent;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * {@code GET /fhir/metadata}: exactly what this gateway supports, no more. When a route is added,
 * it is added here too (a test compares the two).
 */
public final class CapabilityResource {

  private final BaseUrl baseUrl;
  private final String version;
  private final Date started = new Date();

  public CapabilityResource(BaseUrl baseUrl, String version) {
    this.baseUrl = baseUrl;
    this.version = version;
  }

  public FhirReply read(RoutingContext ctx, Caller caller) {
    return FhirReply.ok(build(baseUrl.fhirBase(ctx)));
  }

  private CapabilityStatement build(String fhirBase) {
    CapabilityStatement cs = new CapabilityStatement();
    cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
    cs.setDate(started);
    cs.setPublisher("Brobygger");
    cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
    cs.getSoftware().setName("Brobygger consent-controlled referral gateway").setVersion(version);
    cs.getImplementation().setDescription("Brobygger gateway").setUrl(fhirBase);
    cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
    cs.addFormat("application/fhir+json");
    cs.addFormat("application/fhir+xml");
    cs.addFormat("json");
    cs.addFormat("xml");

    CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest();
    rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
    rest.setDocumentation("Consent registry, FHIR messaging ($process-message) and delivery Tasks");

    CapabilityStatementRestResourceComponent consent = rest.addResource().setType("Consent");
    consent.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE);
    consent.setReadHistory(true);
    consent.setUpdateCreate(false);
    consent.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
    for (TypeRestfulInteraction interaction : new TypeRestfulInteraction[] {
        TypeRestfulInteraction.CREATE, TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD,
        TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.HISTORYINSTANCE, TypeRestfulInteraction.SEARCHTYPE}) {
      consent.addInteraction().setCode(interaction);
    }
    consent.addSearchParam().setName("patient").setType(Enumerations.SearchParamType.TOKEN)
        .setDocumentation("the citizen's identifier as system|value (CPR, replacement CPR or local outreach id)");
    consent.addSearchParam().setName("status").setType(Enumerations.SearchParamType.TOKEN)
        .setDocumentation("active, inactive, draft, proposed, rejected, entered-in-error");

    CapabilityStatementRestResourceComponent task = rest.addResource().setType("Task");
    task.addInteraction().setCode(TypeRestfulInteraction.READ);
    task.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    task.addInteraction().setCode(TypeRestfulInteraction.UPDATE);
    task.setDocumentation("delivery Tasks (status of one accepted message to one recipient) and inbox items (a message "
        + "received for the outreach team; update with status completed marks it handled)");
    task.addSearchParam().setName("owner").setType(Enumerations.SearchParamType.REFERENCE)
        .setDocumentation("Organization/{directory id}: only the caller's own inbox");
    task.addSearchParam().setName("status").setType(Enumerations.SearchParamType.TOKEN)
        .setDocumentation("requested (new) or completed (handled)");

    CapabilityStatementRestResourceComponent bundle = rest.addResource().setType("Bundle");
    bundle.addInteraction().setCode(TypeRestfulInteraction.READ);
    bundle.setDocumentation("a message in the caller's inbox, by MessageHeader.id");

    CapabilityStatementRestResourceComponent patient = rest.addResource().setType("Patient");
    patient.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    patient.addSearchParam().setName("identifier").setType(Enumerations.SearchParamType.TOKEN)
        .setDocumentation("every identifier linked to this one");
    patient.addOperation().setName("link-identifiers")
        .setDefinition("https://brobygger.dk/fhir/OperationDefinition/Patient-link-identifiers")
        .setDocumentation("the identifiers of the posted Patient name one citizen (audited)");

    CapabilityStatementRestResourceComponent auditEvent = rest.addResource().setType("AuditEvent");
    auditEvent.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
    for (String parameter : new String[] {"patient", "date", "agent", "entity", "outcome"}) {
      auditEvent.addSearchParam().setName(parameter).setType(parameter.equals("date")
          ? Enumerations.SearchParamType.DATE : Enumerations.SearchParamType.TOKEN);
    }

    rest.addOperation().setName("process-message")
        .setDefinition("http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message");

    CapabilityStatement.CapabilityStatementMessagingComponent messaging = cs.addMessaging();
    messaging.setDocumentation("Messages are accepted asynchronously (202 + Task) and delivered to the recipient in "
        + "MessageHeader.destination.receiver after a consent decision.");
    for (MessageEvent event : MessageEvent.values()) {
      messaging.addSupportedMessage()
          .setMode(CapabilityStatement.EventCapabilityMode.RECEIVER)
          .setDefinition("https://brobygger.dk/fhir/MessageDefinition/" + event.code().code());
      cs.addExtension()
          .setUrl("https://brobygger.dk/fhir/StructureDefinition/supported-message-event")
          .setValue(new Coding(Code.MESSAGE_EVENTS, event.code().code(), event.label()));
    }
    return cs;
  }
}
