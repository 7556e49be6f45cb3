package dk.brobygger.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brobygger.gateway.auth.AuthenticationRefused.OAuthError;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleScopesTest {

  private static List<String> granted(Role role, String requested) {
    return role.grant(requested).stream().map(SmartScope::toString).toList();
  }

  private static void assertInvalidScope(Role role, String requested, String because) {
    assertThatThrownBy(() -> role.grant(requested))
        .isInstanceOfSatisfying(AuthenticationRefused.class, refused -> {
          assertThat(refused.error()).isEqualTo(OAuthError.INVALID_SCOPE);
          assertThat(refused.httpStatus()).isEqualTo(400);
        })
        .hasMessageContaining(because);
  }

  @Test
  void eachRoleHoldsTheScopesOfThePackageTable() {
    assertThat(Role.OUTREACH.allowedScopes()).map(SmartScope::toString)
        .containsExactly("system/Consent.cruds", "system/MessageHeader.c", "system/Task.rus", "system/Patient.crs",
            "system/Endpoint.rus");
    assertThat(Role.RECIPIENT_SYSTEM.allowedScopes()).map(SmartScope::toString)
        .containsExactly("system/MessageHeader.c", "system/Task.rs");
    assertThat(Role.PRIVACY_OFFICER.allowedScopes()).map(SmartScope::toString)
        .containsExactly("system/Consent.rs", "system/AuditEvent.rs", "system/Task.rs");
  }

  @Test
  void directoryKindsMapToRolesAndNewRecipientKindsNeedNoCode() {
    assertThat(Role.ofPartyKind("outreach")).isEqualTo(Role.OUTREACH);
    assertThat(Role.ofPartyKind("privacy-officer")).isEqualTo(Role.PRIVACY_OFFICER);
    assertThat(List.of("gp", "hospital", "addiction-centre", "home-care"))
        .allSatisfy(kind -> assertThat(Role.ofPartyKind(kind)).isEqualTo(Role.RECIPIENT_SYSTEM));
  }

  @Test
  void anExplicitScopeWithinTheRoleIsGrantedAsAsked() {
    assertThat(granted(Role.OUTREACH, "system/Task.rs system/Consent.rs"))
        .containsExactly("system/Consent.rs", "system/Task.rs");
  }

  @Test
  void aScopeTheRoleDoesNotAllowIsInvalid() {
    assertInvalidScope(Role.RECIPIENT_SYSTEM, "system/MessageHeader.c system/Consent.rs",
        "system/Consent.rs is not allowed for this client");
    assertInvalidScope(Role.PRIVACY_OFFICER, "system/Consent.cruds", "not allowed");
  }

  @Test
  void aWildcardIsNarrowedToWhatTheRoleAllows() {
    assertThat(granted(Role.RECIPIENT_SYSTEM, "system/*.rs")).containsExactly("system/Task.rs");
    assertThat(granted(Role.PRIVACY_OFFICER, "system/*.cruds"))
        .containsExactly("system/Consent.rs", "system/AuditEvent.rs", "system/Task.rs");
  }

  @Test
  void aWildcardThatLeavesNothingIsInvalid() {
    assertInvalidScope(Role.PRIVACY_OFFICER, "system/*.c", "grants nothing");
  }

  @Test
  void overlappingRequestsMergePerResourceType() {
    assertThat(granted(Role.OUTREACH, "system/Consent.r system/Consent.s system/*.c"))
        .containsExactly("system/Consent.crs", "system/MessageHeader.c", "system/Patient.c");
  }

  @Test
  void v1ScopesAreReadAsTheirV2Equivalents() {
    assertThat(granted(Role.PRIVACY_OFFICER, "system/AuditEvent.read")).containsExactly("system/AuditEvent.rs");
    assertInvalidScope(Role.PRIVACY_OFFICER, "system/AuditEvent.write", "not allowed");
  }

  @Test
  void lettersOutOfOrderRepeatedOrUnknownAreNotScopes() {
    assertInvalidScope(Role.OUTREACH, "system/Consent.rc", "not a SMART system scope");
    assertInvalidScope(Role.OUTREACH, "system/Consent.rr", "not a SMART system scope");
    assertInvalidScope(Role.OUTREACH, "system/Consent.x", "not a SMART system scope");
  }

  @Test
  void userPatientAndOpenIdScopesAreNotForBackendServices() {
    assertInvalidScope(Role.OUTREACH, "patient/Consent.rs", "not a SMART system scope");
    assertInvalidScope(Role.OUTREACH, "openid", "not a SMART system scope");
  }

  @Test
  void aMissingScopeIsInvalid() {
    assertInvalidScope(Role.OUTREACH, "  ", "scope is required");
  }

  @Test
  void anAuthenticatedClientIsPermittedExactlyWhatItsScopesSay() {
    AuthenticatedClient client = new AuthenticatedClient("x", "x", Role.OUTREACH,
        Set.of("system/Consent.rs", "system/MessageHeader.c"), Instant.EPOCH);

    assertThat(client.permits("Consent", Interaction.READ)).isTrue();
    assertThat(client.permits("Consent", Interaction.UPDATE)).isFalse();
    assertThat(client.permits("MessageHeader", Interaction.CREATE)).isTrue();
    assertThat(client.permits("Task", Interaction.READ)).isFalse();
  }
}
