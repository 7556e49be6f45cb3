package dk.brobygger.gateway.auditlog;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/**
 * A non-FHIR answer too large to hold (an export): its content type and the work that writes its
 * body, run once the checks before it have passed, onto a writer that sets the client's pace.
 */
public record StreamedReply(String contentType, Body body) {

  /** Writes the whole body to {@code out}; an IOException means the client is gone. */
  @FunctionalInterface
  public interface Body {
    void writeTo(Writer out) throws IOException;
  }

  public StreamedReply {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }
}
