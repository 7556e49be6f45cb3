package dk.brobygger.gateway.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import dk.brobygger.fhir.Rejected;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The caller's fault at the token endpoint or with a bearer token: an OAuth error code (RFC 6749
 * section 5.2, RFC 6750 section 3.1) and a description that tells the caller what to fix without
 * telling it anything about other clients or our keys.
 */
public final class AuthenticationRefused extends RuntimeException {

  /**
   * The codes this gateway answers with. RFC 7523 section 3.2 makes {@code invalid_client} the
   * answer to every flaw of a client-authentication assertion (bad signature, wrong audience,
   * expired, replayed); {@code invalid_grant} belongs to assertion grants, which we do not take.
   */
  public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** A bearer token presented to the FHIR API that is missing, forged, expired or not for us. */
    INVALID_TOKEN("invalid_token", 401);

    private final String code;
    private final int httpStatus;

    OAuthError(String code, int httpStatus) {
      this.code = code;
      this.httpStatus = httpStatus;
    }

    public String code() {
      return code;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final OAuthError error;

  public AuthenticationRefused(OAuthError error, String description) {
    super(safe(Objects.requireNonNull(description, "description")), null, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  public OAuthError error() {
    return error;
  }

  public String description() {
    return getMessage();
  }

  public int httpStatus() {
    return error.httpStatus();
  }

  /** The token endpoint's error body: {@code {"error": ..., "error_description": ...}}. */
  public String toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.code());
    body.put("error_description", description());
    return JSONObjectUtils.toJSONString(body);
  }

  /** The same refusal for the FHIR API, which answers every refusal with an OperationOutcome. */
  public Rejected asRejected() {
    Rejected.Kind kind = error.httpStatus() == 401 ? Rejected.Kind.UNAUTHENTICATED : Rejected.Kind.INVALID;
    return new Rejected(kind, "Request rejected: " + description());
  }

  /**
   * RFC 6749 allows only printable ASCII without {@code "} and {@code \} in error_description;
   * descriptions may quote the caller's own input, so anything else becomes {@code ?}.
   */
  private static String safe(String description) {
    StringBuilder out = new StringBuilder(Math.min(description.length(), 300));
    for (int i = 0; i < description.length() && i < 300; i++) {
      char c = description.charAt(i);
      boolean allowed = c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
      out.append(allowed ? c : '?');
    }
    return out.toString();
  }
}
