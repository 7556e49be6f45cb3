-- Client assertion ids already used at the token endpoint (SMART Backend Services, RFC 7523):
-- a replayed assertion must not buy a second access token, also not after a restart.
-- This is NOT the audit log: a row may be deleted once expires_at has passed, because the
-- assertion it records is refused as expired by then.
CREATE TABLE client_assertion_jti (
    client_id  VARCHAR(200)             NOT NULL,
    jti        VARCHAR(200)             NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT client_assertion_jti_pk PRIMARY KEY (client_id, jti)
);
CREATE INDEX client_assertion_jti_expires_ix ON client_assertion_jti (expires_at);
