-- The audit trail: append-only, hash-chained entries (see dev.baton.governance.audit.AuditChain).
-- Entries are appended to one of several chains so that concurrent transactions do not queue behind one
-- lock; signed checkpoints of every chain's head tie the chains together. The primary key is what keeps a
-- chain from forking: two writers cannot both append sequence n.
CREATE TABLE baton_audit (
    chain          VARCHAR(64)   NOT NULL,
    seq            BIGINT        NOT NULL,
    at             TIMESTAMP WITH TIME ZONE NOT NULL,
    instance_id    VARCHAR(36),
    definition_id  VARCHAR(100),
    version        INT,
    step           VARCHAR(100),
    event_type     VARCHAR(40)   NOT NULL,
    event_code     INT           NOT NULL,
    actor          VARCHAR(200),
    trace_id       VARCHAR(32),
    span_id        VARCHAR(16),
    payload_digest VARCHAR(64),
    summary        VARCHAR(1000),
    prev_hash      VARCHAR(64)   NOT NULL,
    hash           VARCHAR(64)   NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX baton_audit_time ON baton_audit (at, chain, seq);
CREATE INDEX baton_audit_instance ON baton_audit (instance_id, at);
-- Entries carry their instance's trace id: a query by trace finds the instance first (one index entry
-- per instance rather than one per entry, which every hand-off would pay for).
CREATE INDEX baton_instance_trace ON baton_instance (trace_id);

-- Signed checkpoints of every chain's head (dev.baton.governance.audit.Checkpoint), themselves chained.
CREATE TABLE baton_audit_checkpoint (
    seq       BIGINT        PRIMARY KEY,
    at        TIMESTAMP WITH TIME ZONE NOT NULL,
    heads     TEXT          NOT NULL,
    prev_hash VARCHAR(64)   NOT NULL,
    hash      VARCHAR(64)   NOT NULL,
    key_id    VARCHAR(16)   NOT NULL,
    signature VARCHAR(200)  NOT NULL
);

-- The public keys checkpoints were signed with (X.509, Base64), by key id.
CREATE TABLE baton_audit_key (
    key_id     VARCHAR(16)   PRIMARY KEY,
    public_key VARCHAR(1000) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
