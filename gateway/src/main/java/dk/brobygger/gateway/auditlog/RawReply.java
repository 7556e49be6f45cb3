package dk.brobygger.gateway.auditlog;

import java.util.Objects;

/** A non-FHIR answer (JSON, NDJSON, HTML) ready to write: status, content type and body. */
public record RawReply(int status, String contentType, byte[] body) {

  public RawReply {
    Objects.requireNonNull(contentType, "contentType");
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
