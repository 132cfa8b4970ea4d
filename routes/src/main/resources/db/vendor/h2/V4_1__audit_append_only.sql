-- H2 (the embedded default) cannot run a trigger written in SQL; its audit trail is protected by the
-- hash chain and the signed checkpoints alone. PostgreSQL's V4_1 adds triggers refusing UPDATE and DELETE.
COMMENT ON TABLE baton_audit IS 'append-only audit trail: entries are hash-chained, never updated or deleted';
