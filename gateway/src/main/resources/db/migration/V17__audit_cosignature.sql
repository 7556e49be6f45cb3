-- Brobygger storage, version 17: witnesses' cosignatures of the audit log's checkpoints
-- (c2sp.org/tlog-cosignature), as the signature lines they returned, verified before they are stored.
-- Append-only like the checkpoints: a cosignature is inserted once and never changed.
CREATE TABLE audit_cosignature (
    tree_size   BIGINT                   NOT NULL,
    witness     VARCHAR                  NOT NULL,
    line        VARCHAR                  NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT audit_cosignature_pk PRIMARY KEY (tree_size, witness),
    CONSTRAINT audit_cosignature_checkpoint_fk FOREIGN KEY (tree_size) REFERENCES audit_checkpoint (tree_size)
);
