-- Brobygger storage, version 2: what makes the audit log verifiable (RFC 6962 style).
-- Both tables are append-only like audit_log itself: rows are inserted, never updated or deleted.

-- The Merkle leaf hash of every audit entry, SHA-256(0x00 || canonical_json as UTF-8), inserted
-- in the same transaction as the entry. A table of its own rather than a column of audit_log,
-- because audit_log's definition is never altered (AuditLogIsAppendOnlyTest): an added column
-- would need an UPDATE to fill it for existing rows.
CREATE TABLE audit_leaf (
    seq       BIGINT NOT NULL,
    leaf_hash BYTEA  NOT NULL,
    CONSTRAINT audit_leaf_pk PRIMARY KEY (seq),
    CONSTRAINT audit_leaf_entry_fk FOREIGN KEY (seq) REFERENCES audit_log (seq)
);

-- Signed checkpoints (tree heads). frontier holds the compact range of leaves [0, tree_size):
-- the roots of the perfect subtrees, largest first, 32 bytes each, concatenated; the next
-- checkpoint resumes from it instead of rehashing the whole log.
CREATE TABLE audit_checkpoint (
    tree_size BIGINT                   NOT NULL,
    root_hash BYTEA                    NOT NULL,
    issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
    jws       VARCHAR                  NOT NULL,
    frontier  BYTEA                    NOT NULL,
    CONSTRAINT audit_checkpoint_pk PRIMARY KEY (tree_size)
);
