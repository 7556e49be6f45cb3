/**
 * Who may call the gateway: SMART Backend Services authentication (client credentials with a
 * signed client assertion, RFC 7523) and the gateway's own short-lived access tokens.
 *
 * <p>The flow: a known system signs a client assertion with a key it registered; the
 * {@link dk.brobygger.gateway.auth.TokenEndpoint} checks it with the
 * {@link dk.brobygger.gateway.auth.ClientAssertionVerifier} (signature, {@code iss = sub}, audience,
 * lifetime, a {@code jti} never used before) and {@link dk.brobygger.gateway.auth.AccessTokens}
 * issues a token for the scopes asked for, no more than the client's role allows. The FHIR API
 * checks that token with the {@link dk.brobygger.gateway.auth.AccessTokenVerifier}.
 *
 * <h2>Roles and the scopes each may hold (SMART v2 permissions: c r u d s)</h2>
 *
 * <table>
 *   <caption>Role table</caption>
 *   <tr><th>role</th><th>directory kinds</th><th>scopes</th><th>what for</th></tr>
 *   <tr><td>{@code OUTREACH}</td><td>outreach</td>
 *       <td>{@code system/Consent.cruds}<br>{@code system/MessageHeader.c}<br>{@code system/Task.rus}<br>{@code system/Patient.crs}<br>{@code system/Endpoint.rus}</td>
 *       <td>record and withdraw consents, send referrals ({@code $process-message}), follow deliveries, read and
 *       mark handled its inbox, link a citizen's identifiers, re-run a failed delivery ({@code Task/{id}/$retry}),
 *       pause and resume delivery to a recipient ({@code Endpoint/{id}/$pause}, {@code $resume})</td></tr>
 *   <tr><td>{@code RECIPIENT_SYSTEM}</td><td>gp, hospital, addiction-centre, home-care and any new recipient kind</td>
 *       <td>{@code system/MessageHeader.c}<br>{@code system/Task.rs}</td>
 *       <td>send messages ({@code $process-message}), follow their delivery</td></tr>
 *   <tr><td>{@code PRIVACY_OFFICER}</td><td>privacy-officer</td>
 *       <td>{@code system/Consent.rs}<br>{@code system/AuditEvent.rs}<br>{@code system/Task.rs}</td>
 *       <td>read every team's consents, Tasks and messages and the audit trail; change nothing</td></tr>
 * </table>
 *
 * <p>A request for a scope outside the role fails with {@code invalid_scope}; a wildcard request
 * such as {@code system/*.rs} is narrowed to what the role allows of it. The {@code d} in the
 * outreach row does not make consents deletable: the API refuses DELETE on Consent, and a
 * withdrawal is an update.
 *
 * <p>Only this package's {@link dk.brobygger.gateway.auth.AuthHandlers} knows Vert.x.
 */
package dk.brobygger.gateway.auth;
