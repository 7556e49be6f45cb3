package dk.brobygger.gateway.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What kind of system a client is, and so the most it may be granted. The table is documented in
 * {@code package-info.java}; a token never carries a scope its client's role lacks.
 */
public enum Role {
  /**
   * The outreach team's system: records consent, sends referrals, follows their delivery, re-runs
   * a failed one (Task.u) and pauses and resumes delivery to a recipient (Endpoint.u).
   */
  OUTREACH("outreach", "system/Consent.cruds", "system/MessageHeader.c", "system/Task.rus", "system/Patient.crs",
      "system/Endpoint.rus"),
  /** A GP, hospital, addiction centre or home-care system: sends messages, follows their delivery. */
  RECIPIENT_SYSTEM("recipient-system", "system/MessageHeader.c", "system/Task.rs"),
  /** The privacy officer's tool: reads consents, Tasks and the audit trail, changes nothing. */
  PRIVACY_OFFICER("privacy-officer", "system/Consent.rs", "system/AuditEvent.rs", "system/Task.rs");

  private final String claimValue;
  private final List<SmartScope> allowed;

  Role(String claimValue, String... scopes) {
    this.claimValue = claimValue;
    this.allowed = Arrays.stream(scopes)
        .map(scope -> SmartScope.parse(scope).orElseThrow())
        .toList();
  }

  /** How the role is spelled in the {@code role} claim of an access token. */
  public String claimValue() {
    return claimValue;
  }

  public List<SmartScope> allowedScopes() {
    return allowed;
  }

  public static Optional<Role> ofClaimValue(String value) {
    return Arrays.stream(values()).filter(role -> role.claimValue.equals(value)).findFirst();
  }

  /**
   * The role of a directory party by its kind. Every kind other than outreach and privacy officer
   * is a recipient system, so a new kind of recipient (a home-care team, say) needs no code and
   * gets the narrowest write access there is.
   */
  public static Role ofPartyKind(String kind) {
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "outreach" -> OUTREACH;
      case "privacy-officer" -> PRIVACY_OFFICER;
      default -> RECIPIENT_SYSTEM;
    };
  }

  /**
   * What to grant for a token request. An explicit scope must lie wholly within one this role
   * allows, else the request fails with {@code invalid_scope}; a wildcard ({@code system/*.rs})
   * is narrowed to what the role allows of it, and fails only when that is nothing.
   *
   * @param requested the space-separated {@code scope} parameter
   * @return the granted scopes, merged per resource type, in the role's table order
   */
  public List<SmartScope> grant(String requested) {
    String[] words = requested == null ? new String[0] : requested.trim().split("\\s+");
    if (words.length == 0 || words[0].isEmpty()) {
      throw scopeRefused("scope is required, e.g. " + allowed.get(0));
    }
    Map<String, SmartScope> granted = new LinkedHashMap<>();
    for (String word : words) {
      SmartScope asked = SmartScope.parse(word)
          .orElseThrow(() -> scopeRefused(word + " is not a SMART system scope"));
      List<SmartScope> within = asked.resourceType().equals(SmartScope.ANY_RESOURCE)
          ? narrowWildcard(asked)
          : List.of(allowed.stream().filter(scope -> scope.covers(asked)).findFirst()
              .map(scope -> asked)
              .orElseThrow(() -> scopeRefused(word + " is not allowed for this client")));
      within.forEach(scope -> granted.merge(scope.resourceType(), scope, Role::union));
    }
    List<SmartScope> ordered = new ArrayList<>();
    for (SmartScope scope : allowed) {
      Optional.ofNullable(granted.get(scope.resourceType())).ifPresent(ordered::add);
    }
    return List.copyOf(ordered);
  }

  private List<SmartScope> narrowWildcard(SmartScope asked) {
    List<SmartScope> within = allowed.stream()
        .map(scope -> scope.intersect(asked))
        .flatMap(Optional::stream)
        .toList();
    if (within.isEmpty()) {
      throw scopeRefused(asked + " grants nothing this client is allowed");
    }
    return within;
  }

  private static SmartScope union(SmartScope a, SmartScope b) {
    Set<Interaction> both = new HashSet<>(a.interactions());
    both.addAll(b.interactions());
    return new SmartScope(a.resourceType(), both);
  }

  private static AuthenticationRefused scopeRefused(String description) {
    return new AuthenticationRefused(AuthenticationRefused.OAuthError.INVALID_SCOPE, description);
  }
}
