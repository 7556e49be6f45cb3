package dk.brobygger.gateway.e2e;

import dk.brobygger.gateway.Gateway;
import dk.brobygger.gateway.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real gateway, started the way {@code main} starts it (options parsed by the same code) on
 * port 0, with a directory that sends each sample recipient's messages to the given URLs.
 */
final class TestGateway implements AutoCloseable {

  /** Fast retries so that tests finish in seconds. */
  static final List<String> FAST_DELIVERY = List.of(
      "--delivery.initial-backoff", "PT0.2S",
      "--delivery.max-backoff", "PT0.4S",
      "--delivery.jitter", "0",
      "--delivery.poll-interval", "PT0.05S",
      "--delivery.connect-timeout", "PT1S",
      "--delivery.response-timeout", "PT2S",
      "--delivery.lease", "PT5S");

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /** @param endpoints recipient id -> endpoint URL, for the four sample parties */
  static TestGateway start(Path dataDirectory, Map<String, String> endpoints, String... extraArgs) {
    Path directory = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-directory.json");
    writeDirectory(directory, endpoints);
    List<String> args = new ArrayList<>(List.of(
        "--http.port", "0",
        "--data.dir", dataDirectory.toString(),
        "--directory.file", directory.toString()));
    args.addAll(FAST_DELIVERY);
    args.addAll(List.of(extraArgs));
    return new TestGateway(Gateway.start(GatewayConfig.load(args, Map.of())));
  }

  private static void writeDirectory(Path file, Map<String, String> endpoints) {
    String json = """
        {"recipients": [
          {"id": "svendborg-gadesygepleje", "name": "Gadesygeplejen Svendborg", "kind": "outreach",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "325421000016001"}]%s},
          {"id": "laegehuset-sydfyn", "name": "Lægehuset Sydfyn", "kind": "gp",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "123451000016008"}]%s},
          {"id": "svendborg-sygehus", "name": "Svendborg Sygehus", "kind": "hospital",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "663101000016005"}]%s},
          {"id": "behandlingscenter-svendborg", "name": "Behandlingscenter Svendborg", "kind": "addiction-centre",
           "identifiers": [{"system": "urn:oid:1.2.208.176.1.1", "value": "447101000016003"}]%s}
        ]}
        """.formatted(
            endpoint(endpoints, "svendborg-gadesygepleje"),
            endpoint(endpoints, "laegehuset-sydfyn"),
            endpoint(endpoints, "svendborg-sygehus"),
            endpoint(endpoints, "behandlingscenter-svendborg"));
    try {
      Files.writeString(file, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String endpoint(Map<String, String> endpoints, String id) {
    String url = endpoints.get(id);
    return url == null ? "" : ", \"endpoint\": \"" + url + "\"";
  }

  String fhir() {
    return gateway.baseUrl() + "/fhir";
  }

  HttpResponse<String> post(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(URI.create(fhir() + path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpResponse<String> put(String path, String contentType, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhir() + path))
        .header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fhir() + path)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request);
  }

  HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(fhir() + path)).DELETE());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Rows in a table, read straight from the gateway's database. */
  long rows(String table) {
    try (Connection c = gateway.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    gateway.close();
  }
}
