-- Brobygger storage, version 3: citizen identity links, the outreach inbox, answers and
-- acknowledgements of delivered messages.

-- Two identifiers that name one citizen (e.g. a local outreach id and, later, a CPR number). Each
-- link is one edge, stored once with its two ends in a fixed order (a_* sorts before b_*); the
-- citizen is the closure over the edges. Edges are only ever inserted: undoing a wrong link is a
-- later change, and separate edges (not merged group ids) keep that possible.
CREATE TABLE citizen_link (
    a_system  VARCHAR(200)             NOT NULL,
    a_value   VARCHAR(200)             NOT NULL,
    b_system  VARCHAR(200)             NOT NULL,
    b_value   VARCHAR(200)             NOT NULL,
    linked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    linked_by VARCHAR(200)             NOT NULL,
    CONSTRAINT citizen_link_pk PRIMARY KEY (a_system, a_value, b_system, b_value)
);
CREATE INDEX citizen_link_a_ix ON citizen_link (a_value, a_system);
CREATE INDEX citizen_link_b_ix ON citizen_link (b_value, b_system);

-- The outreach team's inbox: one item per inbound message (a GP's referral, an appointment answer),
-- served as a FHIR Task owned by the team. The message itself is in the message table.
CREATE TABLE inbox_item (
    item_id            VARCHAR(64)              NOT NULL,
    message_id         VARCHAR(200)             NOT NULL,
    owner_id           VARCHAR(100)             NOT NULL,
    answers_message_id VARCHAR(200),
    state              VARCHAR(20)              NOT NULL,
    received_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    handled_at         TIMESTAMP WITH TIME ZONE,
    handled_by         VARCHAR(200),
    version            BIGINT                   NOT NULL,
    CONSTRAINT inbox_item_pk PRIMARY KEY (item_id),
    CONSTRAINT inbox_item_message_uq UNIQUE (message_id),
    CONSTRAINT inbox_item_message_fk FOREIGN KEY (message_id) REFERENCES message (message_id)
);
CREATE INDEX inbox_item_owner_ix ON inbox_item (owner_id, state, received_at);

-- What the recipient last told us about a delivered message beyond receipt: "answered: booked",
-- "acknowledged", ... (FHIR Task.businessStatus).
ALTER TABLE delivery_task ADD COLUMN business_status VARCHAR(200);

-- The answers (e.g. appointment responses) to a delivered message, per delivery Task.
CREATE TABLE task_answer (
    task_id           VARCHAR(64)              NOT NULL,
    answer_message_id VARCHAR(200)             NOT NULL,
    received_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT task_answer_pk PRIMARY KEY (task_id, answer_message_id),
    CONSTRAINT task_answer_task_fk FOREIGN KEY (task_id) REFERENCES delivery_task (task_id),
    CONSTRAINT task_answer_message_fk FOREIGN KEY (answer_message_id) REFERENCES message (message_id)
);

-- Asynchronous acknowledgements (MessageHeader.response) of messages we delivered. The
-- acknowledgement message is in the message table too, so a resent one is recognised.
CREATE TABLE acknowledgement (
    message_id              VARCHAR(200)             NOT NULL,
    acknowledges_message_id VARCHAR(200)             NOT NULL,
    code                    VARCHAR(40)              NOT NULL,
    reason                  VARCHAR(2000),
    received_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT acknowledgement_pk PRIMARY KEY (message_id),
    CONSTRAINT acknowledgement_message_fk FOREIGN KEY (message_id) REFERENCES message (message_id),
    CONSTRAINT acknowledgement_acknowledged_fk FOREIGN KEY (acknowledges_message_id) REFERENCES message (message_id)
);
CREATE INDEX acknowledgement_acknowledged_ix ON acknowledgement (acknowledges_message_id);
