-- Who started an instance, or caused a hand-off, is a user (at most 100 characters) or "event:<source>",
-- whose source name may itself have 100: the columns hold the audit trail's 200 (baton_audit.actor), so an
-- event on a long source name starts its instance instead of failing the write.
ALTER TABLE baton_instance ALTER COLUMN started_by SET DATA TYPE VARCHAR(200);
ALTER TABLE baton_handoff ALTER COLUMN actor SET DATA TYPE VARCHAR(200);
