-- Brobygger storage, version 42: Consent.identifier searchable by index (GET /fhir/Consent?identifier=,
-- and the If-None-Exist of a conditional create). The identifiers live inside the stored JSON, which
-- no index can reach (convert_from is not immutable), so each version's identifiers get rows of their
-- own, written in the same transaction as the version; like the versions, they are never changed.
-- (The registry refuses a system or value longer than 1,024 characters, so every key fits the index.)
CREATE TABLE consent_identifier (
    consent_id  VARCHAR(64)   NOT NULL,
    version     BIGINT        NOT NULL,
    position    INTEGER       NOT NULL,
    system      VARCHAR(1024),
    value       VARCHAR(1024) NOT NULL,
    CONSTRAINT consent_identifier_pk PRIMARY KEY (consent_id, version, position),
    CONSTRAINT consent_identifier_version_fk FOREIGN KEY (consent_id, version)
        REFERENCES consent_version (consent_id, version)
);
CREATE INDEX consent_identifier_value_ix ON consent_identifier (value, system);

-- the identifiers of the versions stored before this one (one longer than the limit, which the
-- registry accepted before, stays unfindable by identifier rather than stopping the migration)
INSERT INTO consent_identifier (consent_id, version, position, system, value)
SELECT v.consent_id, v.version, (i.position - 1)::INTEGER, i.identifier ->> 'system', i.identifier ->> 'value'
  FROM consent_version v,
       jsonb_array_elements(COALESCE(convert_from(v.resource_json, 'UTF8')::jsonb -> 'identifier', '[]'::jsonb))
           WITH ORDINALITY AS i (identifier, position)
 WHERE i.identifier ->> 'value' IS NOT NULL
   AND length(i.identifier ->> 'value') <= 1024
   AND COALESCE(length(i.identifier ->> 'system'), 0) <= 1024;
