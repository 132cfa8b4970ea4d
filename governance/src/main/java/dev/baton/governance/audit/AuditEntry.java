package dev.baton.governance.audit;

import java.time.Instant;

/**
 * One entry of the audit trail, as stored: what happened to a business transaction, by whom, when,
 * linked to its trace, chained to the entry before it in its chain.
 *
 * @param chain         the chain (partition) the entry belongs to; chains are appended independently
 * @param sequence      position in its chain, from 1, without gaps
 * @param time          when it happened
 * @param instanceId    the process instance, or null for hub-wide actions (a deployment, a denied call)
 * @param definition    the process id, or null
 * @param version       the process version, or null
 * @param step          the step, or null
 * @param eventType     the paired event name, e.g. {@code STEP_EXECUTED}
 * @param eventCode     its stable code
 * @param actor         the user or system that did it, e.g. {@code mia} or {@code connector:salesforce}
 * @param traceId       W3C trace id of the instance, or null
 * @param spanId        span id of the hand-off, or null
 * @param payloadDigest SHA-256 (hex) of the payload, never the payload itself; null when there was none
 * @param summary       a redacted one-line summary
 * @param prevHash      the previous entry's hash in this chain ({@link AuditChain#GENESIS} for the first)
 * @param hash          SHA-256(prevHash ‖ canonical entry), hex
 */
public record AuditEntry(String chain, long sequence, Instant time, String instanceId, String definition,
                         Integer version, String step, String eventType, int eventCode, String actor, String traceId,
                         String spanId, String payloadDigest, String summary, String prevHash, String hash) {
}
