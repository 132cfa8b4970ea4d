-- On PostgreSQL the audit trail refuses UPDATE and DELETE (and TRUNCATE), whoever asks: the hash chain
-- detects changes, this prevents them short of disabling the trigger, which needs the table's owner.
CREATE FUNCTION baton_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'baton_audit and baton_audit_checkpoint are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER baton_audit_append_only BEFORE UPDATE OR DELETE ON baton_audit
    FOR EACH ROW EXECUTE FUNCTION baton_audit_append_only();
CREATE TRIGGER baton_audit_no_truncate BEFORE TRUNCATE ON baton_audit
    FOR EACH STATEMENT EXECUTE FUNCTION baton_audit_append_only();
CREATE TRIGGER baton_audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON baton_audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION baton_audit_append_only();
