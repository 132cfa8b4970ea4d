-- An event's identity is its channel (the {channel} of /events/{channel}, which the sender's credential
-- is checked against) as well as its CloudEvents source and id: the source attribute is the sender's own
-- claim, so the same source and id on two channels are two events, and one channel cannot make another's
-- event a duplicate. The table is rebuilt rather than its primary key altered, because H2 and PostgreSQL
-- name a primary key constraint differently. Existing rows keep the channel they arrived on.
CREATE TABLE baton_event_v10 (
    channel     VARCHAR(100) NOT NULL,
    source      VARCHAR(250) NOT NULL,
    id          VARCHAR(250) NOT NULL,
    type        VARCHAR(250) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    received_by VARCHAR(100),
    response    TEXT         NOT NULL,
    PRIMARY KEY (channel, source, id)
);
INSERT INTO baton_event_v10 (channel, source, id, type, received_at, received_by, response)
    SELECT channel, source, id, type, received_at, received_by, response FROM baton_event;
DROP TABLE baton_event;
ALTER TABLE baton_event_v10 RENAME TO baton_event;
