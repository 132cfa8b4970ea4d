package dev.baton.hub.runtime;

import org.springframework.stereotype.Component;

import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.persistence.HandoffRepository;
import dev.baton.hub.persistence.IncidentRepository;
import dev.baton.hub.persistence.InstanceRepository;
import dev.baton.hub.persistence.SubscriptionRepository;
import dev.baton.hub.persistence.TaskRepository;

/** The repositories a transition writes to, and the audit trail that records it. */
@Component
public record Stores(InstanceRepository instances, HandoffRepository handoffs, TaskRepository tasks,
                     SubscriptionRepository subscriptions, IncidentRepository incidents, AuditLog audit) {
}
