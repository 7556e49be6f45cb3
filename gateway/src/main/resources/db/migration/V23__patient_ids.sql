-- Brobygger storage, version 23: the id of each citizen identifier as a FHIR Patient, so that a
-- search can name the citizen as FHIR R4 does (patient=Patient/{id}). The id is random, not derived
-- from the identifier: a CPR number never appears in a URL path (paths are logged; queries are not).
-- Rows are only ever inserted; the citizen behind an id is the identifier and everything linked to it.
CREATE TABLE patient_id (
    patient_id     VARCHAR(64)              NOT NULL,
    citizen_system VARCHAR(200)             NOT NULL,
    citizen_value  VARCHAR(200)             NOT NULL,
    assigned_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT patient_id_pk PRIMARY KEY (patient_id),
    CONSTRAINT patient_id_citizen_uq UNIQUE (citizen_value, citizen_system)
);
