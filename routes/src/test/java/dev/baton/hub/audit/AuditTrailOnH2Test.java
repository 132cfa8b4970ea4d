package dev.baton.hub.audit;

/** The audit trail on the embedded default's H2, which has no append-only trigger: the chain alone guards it. */
class AuditTrailOnH2Test extends AuditTrailBehaviour {

    @Override
    protected void unprotect() {
    }

    @Override
    protected void protect() {
    }
}
