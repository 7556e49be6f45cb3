-- Delivery attempts in flight, one row per identifier of the citizen an attempt discloses. An
-- attempt commits its rows before its consent re-check and marks them ended once its outcome is
-- recorded; a withdrawal, once committed, waits for the rows of its citizen that started before it
-- (each at most until must_end_by, when its own instance has given up the HTTP call), so that its
-- answer is a fence shared by every gateway instance on this database. Plain SQL for PostgreSQL
-- (and H2 while it lasts); rows older than a day are deleted as new attempts start.
CREATE TABLE disclosure_in_flight (
    outbox_id      BIGINT                   NOT NULL,
    attempt        INTEGER                  NOT NULL,
    citizen_system VARCHAR(200)             NOT NULL,
    citizen_value  VARCHAR(200)             NOT NULL,
    task_id        VARCHAR(64)              NOT NULL,
    message_id     VARCHAR(200)             NOT NULL,
    recipient_id   VARCHAR(100)             NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    must_end_by    TIMESTAMP WITH TIME ZONE NOT NULL,
    sending_sha256 VARCHAR(64),
    ended_at       TIMESTAMP WITH TIME ZONE,
    outcome        VARCHAR(40)
);
-- Not unique: an attempt re-run after its instance died (lease expired) registers again.
CREATE INDEX disclosure_in_flight_attempt_ix ON disclosure_in_flight (outbox_id, attempt);
CREATE INDEX disclosure_in_flight_citizen_ix ON disclosure_in_flight (citizen_value, citizen_system, started_at);
CREATE INDEX disclosure_in_flight_started_ix ON disclosure_in_flight (started_at);
