-- Which redelivered command a hub was processing: written (durably) before a redelivered command runs and
-- deleted once its attempt ends, committed or rolled back. A row that outlives its node's run means the hub
-- stopped while processing that command; after baton.engine.max-interrupted-deliveries of them the command
-- is parked as an incident (BATON-RT-008) instead of being run again. Keyed by the command, not the message,
-- so a copy re-sent after a crash counts against the same row, and any node that takes the command sees it.
CREATE TABLE baton_delivery_marker (
    instance_id VARCHAR(36)   NOT NULL,
    token       VARCHAR(32)   NOT NULL,
    attempt     INT           NOT NULL,
    intent      INT           NOT NULL,
    queue       VARCHAR(1000) NOT NULL,
    interrupted INT           NOT NULL,
    node_run    VARCHAR(36)   NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (instance_id, token, attempt, intent)
);
