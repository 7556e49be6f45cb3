package dk.brobygger.keys;

import java.util.stream.Collectors;

/** The README.md of a generated set: the warning first, then what each file is for. */
final class ReadmeText {

  private ReadmeText() {}

  static String render(TrustSetManifest manifest) {
    StringBuilder text = new StringBuilder();
    // The first line is the warning, so that `head -1` of any copy of the set says it.
    text.append("# ").append(manifest.warning()).append("\n\n");
    text.append("Generated ").append(manifest.generatedAt())
        .append(" by `dk.brobygger.keys.InsecureSampleTrustSet` (module keys-sample).\n\n");
    text.append("""
        Anyone who has this directory can read every private key in it: whatever these keys sign can be
        forged and whatever is encrypted to them can be read. Real deployments use their own PKI (for
        example the regional or national CA) and a key-management system, never these files.

        ## What is here

        - `ca.cert.pem`: the CA "%s" (EC P-256, self-signed). Trust it on both sides for mutual TLS.
        - `server.cert.pem` + `server.key.pem` (PKCS#8): TLS server certificate for `localhost`,
          `127.0.0.1` and `::1` (EKU serverAuth), issued by the CA.
        - `server.p12`: the same key with the chain [server, CA] as PKCS#12; password `%s`,
          alias `%s`.
        - `<party>.client.cert.pem` + `<party>.client.key.pem`: TLS client certificate (EKU clientAuth),
          subject CN = the party id, O = %s.
        - `gateway-signing.{private,public}.jwks.json`: the gateway's signing keys, ES256 (P-256) and
          EdDSA (Ed25519), `use: sig`.
        - `audit-checkpoint.{private,public}.jwks.json`: the audit log's checkpoint key (Ed25519), for
          nothing but its C2SP signed-note checkpoints.
        - `<party>.client-auth.{private,public}.jwks.json`: the key each party signs its
          client-authentication JWTs with (ES256).
        - `<party>.encryption.{private,public}.jwks.json` (recipients only): keys the gateway seals
          referrals to, P-256 and X25519, `use: enc`, `alg: ECDH-ES+A256KW`.
        - `manifest.json`: every file with its kind, party, key ids and expiry.

        """.formatted(InsecureSampleCa.CA_COMMON_NAME, TrustSetLayout.INSECURE_KEYSTORE_PASSWORD,
            TrustSetLayout.SERVER_KEYSTORE_ALIAS, InsecureSampleCa.ORGANISATION));
    text.append("## Parties\n\n| party id | kind | receives sealed referrals |\n|---|---|---|\n");
    for (SampleParty party : SampleParty.values()) {
      text.append("| `").append(party.id()).append("` | ").append(party.kind()).append(" | ")
          .append(party.isRecipient() ? "yes" : "no").append(" |\n");
    }
    text.append("\n## Files\n\n| file | kind | party | key ids | valid until |\n|---|---|---|---|---|\n");
    for (TrustSetFile file : manifest.files()) {
      text.append("| `").append(file.name()).append("` | ").append(file.kind().jsonName())
          .append(" | ").append(file.party().orElse(""))
          .append(" | ")
          .append(file.kids().stream().map(kid -> "`" + kid + "`").collect(Collectors.joining(", ")))
          .append(" | ").append(file.notAfter().map(Object::toString).orElse(""))
          .append(" |\n");
    }
    return text.toString();
  }
}
