-- The people's console: its sessions, shared by every gateway instance on this database, so that a
-- nurse's next request may reach another instance. The cookie carries a random id; only its SHA-256
-- is stored, so reading this table does not let anyone take over a session.
CREATE TABLE console_session (
  id_sha256       TEXT PRIMARY KEY,
  -- the synchronizer token every state change must carry (form field or header)
  csrf_token      TEXT NOT NULL,
  -- the signed-in person; all four are null while signing in
  subject         TEXT,
  person_name     TEXT,
  console_role    TEXT,
  party           TEXT,
  -- while signing in with OpenID Connect: the state sent to the provider and the PKCE code verifier
  sign_in_state   TEXT,
  pkce_verifier   TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  last_seen_at    TIMESTAMPTZ NOT NULL,
  CHECK ((subject IS NULL) = (console_role IS NULL) AND (subject IS NULL) = (party IS NULL))
);

-- idle sessions are swept by their last use
CREATE INDEX console_session_last_seen ON console_session (last_seen_at);
