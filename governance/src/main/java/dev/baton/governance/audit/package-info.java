/**
 * The audit trail's integrity: entries sealed into SHA-256 hash chains ({@link dev.baton.governance.audit.AuditChain})
 * and verified entry by entry ({@link dev.baton.governance.audit.ChainVerifier}), naming the first entry that is not
 * what was written. Storage, partitioning into chains and checkpoints of the heads live in the hub.
 */
package dev.baton.governance.audit;
