-- Brobygger storage, version 16: checkpoints as C2SP signed notes (c2sp.org/tlog-checkpoint).
-- The signed note the gateway issued with a checkpoint, byte for byte, so that what it serves and
-- exports is exactly what it signed. A table of its own, inserted in the checkpoint's transaction,
-- because audit_checkpoint is never altered; checkpoints issued before this version have no row here:
-- they are JWS only and stay verifiable as such. Append-only: rows are inserted, never changed.
CREATE TABLE audit_checkpoint_note (
    tree_size BIGINT  NOT NULL,
    note      VARCHAR NOT NULL,
    CONSTRAINT audit_checkpoint_note_pk PRIMARY KEY (tree_size),
    CONSTRAINT audit_checkpoint_note_checkpoint_fk FOREIGN KEY (tree_size) REFERENCES audit_checkpoint (tree_size)
);
