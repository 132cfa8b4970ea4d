-- One subscription per token and message: a token at a step with message boundaries listens for each of
-- their messages (and a wait step for its own too). The table is rebuilt rather than its primary key
-- altered, because H2 and PostgreSQL name a primary key constraint differently. For a message boundary
-- that does not interrupt, "attempt" numbers its next correlation: each message it takes is a command of
-- its own, so a redelivered one is known by its number.
CREATE TABLE baton_subscription_v9 (
    instance_id     VARCHAR(36)  NOT NULL,
    token           VARCHAR(32)  NOT NULL,
    step            VARCHAR(100) NOT NULL,
    attempt         INT          NOT NULL,
    definition_id   VARCHAR(100) NOT NULL,
    version         INT          NOT NULL,
    message         VARCHAR(250) NOT NULL,
    correlation_key VARCHAR(250),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (instance_id, token, message)
);
INSERT INTO baton_subscription_v9 (instance_id, token, step, attempt, definition_id, version, message,
                                   correlation_key, created_at)
    SELECT instance_id, token, step, attempt, definition_id, version, message, correlation_key, created_at
    FROM baton_subscription;
DROP TABLE baton_subscription;
ALTER TABLE baton_subscription_v9 RENAME TO baton_subscription;
CREATE INDEX baton_subscription_match ON baton_subscription (message, correlation_key);
