-- Brobygger storage, version 12: who may see what. A consent belongs to the party that recorded
-- it and a message to the party that sent it (directory ids of the authenticated caller), so that a
-- team's reads and searches filter by them in SQL. Several outreach teams share one gateway and
-- must not see each other's citizens. Rows stored before this version take the party from the
-- actor they recorded ("party@address").

ALTER TABLE consent ADD COLUMN recorded_by_party VARCHAR(200);
UPDATE consent SET recorded_by_party = (
    SELECT CASE WHEN POSITION('@' IN v.recorded_by) > 0
                THEN SUBSTRING(v.recorded_by FROM 1 FOR POSITION('@' IN v.recorded_by) - 1)
                ELSE v.recorded_by END
      FROM consent_version v
     WHERE v.consent_id = consent.consent_id AND v.version = 1);
ALTER TABLE consent ALTER COLUMN recorded_by_party SET NOT NULL;
CREATE INDEX consent_party_ix ON consent (recorded_by_party, citizen_value, citizen_system);

ALTER TABLE message ADD COLUMN sent_by_party VARCHAR(200);
UPDATE message SET sent_by_party =
    CASE WHEN POSITION('@' IN received_from) > 0
         THEN SUBSTRING(received_from FROM 1 FOR POSITION('@' IN received_from) - 1)
         ELSE received_from END;
ALTER TABLE message ALTER COLUMN sent_by_party SET NOT NULL;
CREATE INDEX message_sender_ix ON message (sent_by_party);
