package dk.brobygger.gateway.auth;

import dk.brobygger.gateway.directory.Directory;
import dk.brobygger.gateway.directory.Party;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Mutual TLS: a client certificate identifies the calling system when it chains to the configured
 * CA, is valid now, is meant for client authentication, and its subject CN is a directory id. The
 * TLS layer accepts any certificate so that this check (and the audit of a refusal) happens here,
 * where the caller gets a FHIR answer instead of a broken handshake.
 */
public final class ClientCertificates {

  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final X509Certificate authority;
  private final Directory directory;
  private final Clock clock;

  public ClientCertificates(X509Certificate authority, Directory directory, Clock clock) {
    this.authority = authority;
    this.directory = directory;
    this.clock = clock;
  }

  /** The client the chain identifies, with every scope its role may hold; refused otherwise. */
  public AuthenticatedClient identify(List<Certificate> chain) {
    if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
      throw refused("no client certificate was presented");
    }
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(authority, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX").validate(
          CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    } catch (GeneralSecurityException e) {
      throw refused("the client certificate does not chain to the gateway's client CA");
    }
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages == null || !usages.contains(CLIENT_AUTH)) {
        throw refused("the client certificate is not for client authentication");
      }
    } catch (java.security.cert.CertificateParsingException e) {
      throw refused("the client certificate's key usage cannot be read");
    }
    String id = commonName(leaf);
    Party party = directory.party(id)
        .orElseThrow(() -> refused("the client certificate names no system in the directory"));
    Role role = Role.ofPartyKind(party.recipient().kind());
    return new AuthenticatedClient(id, id, role,
        Set.of(SmartScope.spell(role.allowedScopes()).split(" ")), leaf.getNotAfter().toInstant());
  }

  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      throw refused("the client certificate's subject cannot be read");
    }
    throw refused("the client certificate has no common name");
  }

  private static AuthenticationRefused refused(String description) {
    return new AuthenticationRefused(AuthenticationRefused.OAuthError.INVALID_CLIENT, description);
  }
}
