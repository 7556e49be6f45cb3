-- Brobygger storage, version 16: checkpoints as C2SP signed notes (c2sp.org/tlog-checkpoint).
-- The signed note the gateway issued with each checkpoint, byte for byte, so that what it serves
-- and exports is exactly what it signed. Checkpoints issued before this version have none (NULL):
-- they are JWS only and stay verifiable as such. Rows are still only inserted, never updated.
ALTER TABLE audit_checkpoint ADD COLUMN note VARCHAR;
