-- Payloads that went out (or may have) without an answer from the recipient: a response timeout,
-- a broken connection, an aborted call, or an instance that died before recording the outcome.
-- A row is written with the "sending" audit entry, before the POST, and removed when the attempt
-- records an answer or that nothing left. While a Task has one, it cannot honestly end
-- "cancelled" (nothing sent): the recipient may have the message.
CREATE TABLE disclosure_unanswered (
    task_id   VARCHAR(64)              NOT NULL,
    outbox_id BIGINT                   NOT NULL,
    attempt   INTEGER                  NOT NULL,
    sha256    VARCHAR(64)              NOT NULL,
    sent_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (outbox_id, sha256)
);
CREATE INDEX disclosure_unanswered_task_ix ON disclosure_unanswered (task_id);
