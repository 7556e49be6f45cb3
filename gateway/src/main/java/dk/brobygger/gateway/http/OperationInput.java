package dk.brobygger.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dk.brobygger.fhir.Rejected;
import dk.brobygger.fhir.message.FhirCodec;
import dk.brobygger.fhir.message.FhirFormat;
import dk.brobygger.fhir.message.FhirFormats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * The input of an operation in either form FHIR allows: the bare resource as the body, or a
 * {@code Parameters} resource with the named input (what HAPI's generic client sends).
 */
final class OperationInput {

  private static final JsonFactory JSON = new JsonFactory();

  private OperationInput() {}

  /**
   * The resource an operation takes.
   *
   * @param name the input's name in a Parameters body, e.g. {@code patient}
   * @param what how refusals name the request, e.g. "Link"
   */
  static <T extends Resource> T resource(io.vertx.ext.web.RoutingContext ctx, FhirCodec codec, Class<T> type, String name,
      String what) {
    Resource body = RequestBodies.resource(ctx, codec, Resource.class, what);
    if (body instanceof Parameters parameters) {
      only(parameters, Set.of(name), what);
      return input(parameters, name, type, what);
    }
    if (!type.isInstance(body)) {
      throw new Rejected(Rejected.Kind.INVALID, what + " rejected: expected a " + type.getSimpleName()
          + " or a Parameters with the input '" + name + "', got " + body.fhirType());
    }
    return type.cast(body);
  }

  /**
   * The message of {@code $process-message} as bytes for the ingress pipeline: the body as sent when
   * it is the Bundle itself; for a Parameters body the {@code content} input, taken from the JSON as
   * sent (so the ingress's checks of JSON value types still see the caller's text) or re-encoded from
   * XML. {@code async=true} and {@code response-url} are refused: the answer is always synchronous
   * (202 with the Task that tracks delivery).
   */
  static byte[] message(io.vertx.ext.web.RoutingContext ctx, FhirCodec codec) {
    String what = "Message";
    if ("true".equals(ctx.queryParams().get("async"))) {
      throw asyncRefused();
    }
    byte[] body = RequestBodies.bytes(ctx);
    Optional<String> contentType = Optional.ofNullable(ctx.request().getHeader("Content-Type"));
    if (contentType.isEmpty() || body.length == 0 || !isParameters(body)) {
      return body; // the ingress refuses what is missing or broken, with its own diagnostics
    }
    FhirFormat format = FhirFormats.ofContentType(contentType.get());
    Parameters parameters = codec.parse(body, format, Parameters.class);
    only(parameters, Set.of("content", "async", "response-url"), what);
    for (ParametersParameterComponent p : parameters.getParameter()) {
      if (p.getName().equals("async") && p.getValue() != null && "true".equals(p.getValue().primitiveValue())) {
        throw asyncRefused();
      }
      if (p.getName().equals("response-url")) {
        throw new Rejected(Rejected.Kind.INVALID, "Message rejected: response-url is not supported: the answer to "
            + "$process-message is always the HTTP response (202 with the Task that tracks delivery)");
      }
    }
    Bundle bundle = input(parameters, "content", Bundle.class, what);
    return format == FhirFormat.JSON ? jsonInput(body, "content") : codec.encode(bundle, format);
  }

  /**
   * The exact bytes of the named input's {@code resource} in a Parameters JSON body (already parsed
   * and checked as a whole): nothing is re-encoded, so decimals and value types stay as sent.
   */
  private static byte[] jsonInput(byte[] body, String name) {
    try (JsonParser p = JSON.createParser(body)) {
      p.nextToken(); // the Parameters object
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("parameter")) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
          String parameterName = null;
          long start = -1;
          long end = -1;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken value = p.nextToken();
            if (member.equals("name") && value == JsonToken.VALUE_STRING) {
              parameterName = p.getText();
            } else if (member.equals("resource") && value == JsonToken.START_OBJECT) {
              start = p.currentTokenLocation().getByteOffset();
              p.skipChildren();
              end = p.currentTokenLocation().getByteOffset() + 1;
            } else {
              p.skipChildren();
            }
          }
          if (name.equals(parameterName) && start >= 0) {
            return java.util.Arrays.copyOfRange(body, (int) start, (int) end);
          }
        }
      }
    } catch (IOException e) {
      throw new Rejected(Rejected.Kind.MALFORMED, "Message rejected: the Parameters body is not JSON");
    }
    throw new Rejected(Rejected.Kind.INVALID, "Message rejected: the Parameters have no input '" + name + "'");
  }

  private static Rejected asyncRefused() {
    return new Rejected(Rejected.Kind.INVALID, "Message rejected: async=true is not supported: a message is "
        + "accepted (durably stored, 202) or refused within the request, and its delivery is followed through the Task "
        + "in the answer; send it without async");
  }

  /** Whether a body is a Parameters resource, from its first few hundred characters. */
  private static boolean isParameters(byte[] body) {
    String head = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8);
    return head.matches("(?s)\\s*\\{\\s*\"resourceType\"\\s*:\\s*\"Parameters\".*")
        || head.matches("(?s)\\s*(<\\?xml[^>]*\\?>\\s*)?<Parameters[\\s>].*");
  }

  private static void only(Parameters parameters, Set<String> names, String what) {
    for (ParametersParameterComponent p : parameters.getParameter()) {
      if (!names.contains(p.getName())) {
        throw new Rejected(Rejected.Kind.INVALID, what + " rejected: unknown input parameter '" + p.getName()
            + "' (this operation takes " + String.join(", ", names.stream().sorted().toList()) + ")");
      }
    }
  }

  private static <T extends Resource> T input(Parameters parameters, String name, Class<T> type, String what) {
    List<ParametersParameterComponent> inputs =
        parameters.getParameter().stream().filter(p -> p.getName().equals(name)).toList();
    if (inputs.size() != 1 || !type.isInstance(inputs.get(0).getResource())) {
      throw new Rejected(Rejected.Kind.INVALID, what + " rejected: the Parameters must have exactly one input '" + name
          + "' holding a " + type.getSimpleName());
    }
    return type.cast(inputs.get(0).getResource());
  }
}
