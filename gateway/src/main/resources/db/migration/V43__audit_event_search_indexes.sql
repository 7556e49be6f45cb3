-- Brobygger storage, version 43: an index for each AuditEvent search parameter that had none
-- (GET /fhir/AuditEvent, the privacy officer's search): date (recorded_at), agent (actor, equal or
-- "party@..." by prefix, hence text_pattern_ops) and entity (consent_id; message_id has
-- audit_log_message_ix, and without this one the OR of the two read the whole log). patient has
-- audit_log_citizen_ix; outcome has a handful of values and is always combined with the others.
CREATE INDEX audit_log_recorded_at_ix ON audit_log (recorded_at);
CREATE INDEX audit_log_actor_ix ON audit_log (actor text_pattern_ops);
CREATE INDEX audit_log_consent_ix ON audit_log (consent_id);
