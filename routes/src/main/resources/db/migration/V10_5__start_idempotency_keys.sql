-- The Idempotency-Key of POST /api/definitions/{id}/instances: one start per definition and key. Written in the
-- transaction that starts the instance, so a retry of a start that was lost (a crash before the commit) starts
-- it, and a retry of one that committed gets its first answer. "request_digest" (SHA-256 of the business key
-- and variables) tells a retry from another request that reuses the key; "response" is the first answer.
CREATE TABLE baton_start_key (
    definition_id   VARCHAR(100) NOT NULL,
    idempotency_key VARCHAR(200) NOT NULL,
    request_digest  VARCHAR(64)  NOT NULL,
    instance_id     VARCHAR(36)  NOT NULL,
    started_by      VARCHAR(100),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    response        TEXT         NOT NULL,
    PRIMARY KEY (definition_id, idempotency_key)
);
