-- Operator tools (issue 10).

-- A re-run of a failed or cancelled delivery starts its age limit afresh from this moment
-- (delivery.max-age counts from here instead of from acceptance); NULL: never re-run.
ALTER TABLE outbox ADD COLUMN rerun_at TIMESTAMP WITH TIME ZONE;

-- Recipients whose deliveries are paused (e.g. a maintenance window). Every instance's claim skips
-- their outbox rows until the row is deleted (resumed); who paused and why go into the audit log too.
CREATE TABLE recipient_pause (
    recipient_id VARCHAR(100)             NOT NULL,
    paused_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    paused_by    VARCHAR(200)             NOT NULL,
    reason       VARCHAR(2000),
    CONSTRAINT recipient_pause_pk PRIMARY KEY (recipient_id)
);
