-- Durable positions of connectors' inbound routes: a Salesforce channel's last replay id taken in,
-- an OData poller's watermark. Written after the event it covers is taken in, so a restart resumes
-- there; an event seen twice is recognised by its id (baton_event).
CREATE TABLE baton_cursor (
    name       VARCHAR(300) PRIMARY KEY,
    position   VARCHAR(200) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
