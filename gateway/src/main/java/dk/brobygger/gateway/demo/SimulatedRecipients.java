package dk.brobygger.gateway.demo;

import com.nimbusds.jose.jwk.JWKSet;
import dk.brobygger.delivery.seal.OpenedMessage;
import dk.brobygger.delivery.seal.SampleRecipientOpener;
import dk.brobygger.fhir.directory.Recipient;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.OperationOutcomes;
import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.keys.InsecureSampleKeys;
import dk.brobygger.keys.SampleParty;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Demo mode only: the GP, hospital and addiction-centre systems of the sample directory, simulated
 * in-process at the directory's localhost endpoints. Each opens what it receives with its sample
 * decryption key, verifies the gateway's signature, and logs the message, so a newcomer sees what left
 * the gateway and what did not. Like real recipients, they de-duplicate by message id.
 */
public final class SimulatedRecipients implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("demo.recipients");

  private final List<HttpServer> servers;

  private SimulatedRecipients(List<HttpServer> servers) {
    this.servers = servers;
  }

  /** Starts one simulated system per directory entry whose endpoint is on this machine. */
  public static SimulatedRecipients start(Vertx vertx, Directory directory, FhirCodec codec, JWKSet gatewayKeys) {
    List<HttpServer> servers = new ArrayList<>();
    for (Recipient recipient : directory.all()) {
      if (recipient.endpoint().isEmpty() || !isLocal(recipient.endpoint().get())) {
        continue;
      }
      URI endpoint = recipient.endpoint().get();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      Optional<SampleRecipientOpener> opener = SampleParty.byId(recipient.id())
          .filter(SampleParty::isRecipient)
          .map(party -> new SampleRecipientOpener(InsecureSampleKeys.encryptionKeys(party), gatewayKeys));
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(endpoint.getHost()))
          .requestHandler(request -> receive(request, recipient, endpoint, seen, codec, opener));
      try {
        servers.add(server.listen(endpoint.getPort()).toCompletionStage().toCompletableFuture().get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the simulated " + recipient.name(), e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot start the simulated " + recipient.name() + " at " + endpoint
            + ": " + e.getCause().getMessage(), e.getCause());
      }
      LOG.info("simulated {} ({}) listens at {}", recipient.name(), recipient.kind(), endpoint);
    }
    return new SimulatedRecipients(servers);
  }

  private static boolean isLocal(URI uri) {
    String host = uri.getHost();
    return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
  }

  private static void receive(HttpServerRequest request, Recipient recipient, URI endpoint, Set<String> seen,
      FhirCodec codec, Optional<SampleRecipientOpener> opener) {
    if (!request.path().equals(endpoint.getRawPath()) || request.method().name().equals("GET")) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> {
      String messageId = request.getHeader("Idempotency-Key");
      String summary;
      try {
        byte[] payload = body.getBytes();
        String sealing = "unsealed";
        if (opener.isPresent() && String.valueOf(request.getHeader("Content-Type")).startsWith("application/jose")) {
          OpenedMessage opened = opener.get().open(payload);
          payload = opened.payload();
          sealing = (opened.wasEncrypted() ? "decrypted with " + opened.encryptionKeyId().orElse("?") + ", " : "")
              + "signature of " + opened.signingKeyId() + " verified";
        }
        summary = summary(codec.parse(payload, FhirFormat.JSON, Bundle.class)) + " (" + sealing + ")";
      } catch (RuntimeException e) {
        summary = body.length() + " bytes of " + request.getHeader("Content-Type") + " that could not be opened: " + e.getMessage();
      }
      if (messageId != null && !seen.add(messageId)) {
        LOG.info("[{}] duplicate of message {} ignored", recipient.name(), messageId);
      } else {
        LOG.info("[{}] RECEIVED {}", recipient.name(), summary);
      }
      request.response().setStatusCode(200).putHeader("Content-Type", FhirFormat.JSON.mimeType())
          .end(io.vertx.core.buffer.Buffer.buffer(codec.encode(
              OperationOutcomes.information("received by " + recipient.name()), FhirFormat.JSON)));
    });
  }

  private static String summary(Bundle bundle) {
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    String resources = bundle.getEntry().stream().skip(1)
        .map(e -> e.getResource().fhirType()).collect(Collectors.joining(", "));
    return header.getEventCoding().getCode() + " message " + header.getIdElement().getIdPart() + " with " + resources;
  }

  @Override
  public void close() {
    for (HttpServer server : servers) {
      server.close();
    }
  }
}
