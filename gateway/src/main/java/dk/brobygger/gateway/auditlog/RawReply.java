package dk.brobygger.gateway.auditlog;

import java.util.Map;
import java.util.Objects;

/**
 * A non-FHIR answer (JSON, NDJSON, HTML, tiles) ready to write: status, content type, body and any
 * further headers (e.g. Cache-Control).
 */
public record RawReply(int status, String contentType, byte[] body, Map<String, String> headers) {

  public RawReply {
    Objects.requireNonNull(contentType, "contentType");
    body = body.clone();
    headers = Map.copyOf(headers);
  }

  public RawReply(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
