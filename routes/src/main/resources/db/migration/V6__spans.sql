-- The local span store (issue 5): the spans this hub ended, so that GET /api/traces/{traceId} answers
-- without a tracing backend. Written off the hot path in batches (dev.baton.hub.tracing.SpanStore),
-- bounded by baton.tracing.store.retain and max-spans. The same script runs on H2 and PostgreSQL.
CREATE TABLE baton_span (
    trace_id           VARCHAR(32)   NOT NULL,
    span_id            VARCHAR(16)   NOT NULL,
    parent_span_id     VARCHAR(16),
    name               VARCHAR(500)  NOT NULL,
    kind               VARCHAR(10)   NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    status_code        VARCHAR(5)    NOT NULL,
    status_description VARCHAR(2000),
    -- the span's baton.instance attribute: which spans an instance left, without parsing attributes
    instance_id        VARCHAR(36),
    -- JSON: an object of the span's attributes; arrays of events and links (null when there are none)
    attributes         TEXT          NOT NULL,
    events             TEXT,
    links              TEXT,
    PRIMARY KEY (trace_id, span_id)
);
-- The retention sweep deletes by end time, oldest first.
CREATE INDEX baton_span_ended ON baton_span (ended_at);
CREATE INDEX baton_span_instance ON baton_span (instance_id);
