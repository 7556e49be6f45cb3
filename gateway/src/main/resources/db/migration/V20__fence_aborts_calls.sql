-- The withdrawal fence aborts in-flight HTTP calls instead of only waiting for them: a committed
-- withdrawal marks the open rows of its citizen with why they must stop, and the instance sending
-- each one (any instance on this database) sees the mark within a poll and closes the connection.
-- The outcome now says what became of an attempt in words (e.g. that an aborted one may have been
-- partly received), so it is wider.
ALTER TABLE disclosure_in_flight ADD COLUMN abort_reason VARCHAR(300);
ALTER TABLE disclosure_in_flight ALTER COLUMN outcome TYPE VARCHAR(500);
-- the sending instances' poll reads only open rows
CREATE INDEX disclosure_in_flight_open_ix ON disclosure_in_flight (outbox_id) WHERE ended_at IS NULL;
