-- While signing in with OpenID Connect: the nonce sent to the provider, which the ID token must carry
-- back (a sign-in waiting when this column arrives has none and is refused; the person signs in again).
ALTER TABLE console_session ADD COLUMN oidc_nonce TEXT;
