package dev.baton.hub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The hub's settings, root {@code baton}.
 *
 * @param dataDir   where the embedded default keeps its database, broker journal and credentials
 * @param usersFile users file ({@code name:password:role1,role2} a line); empty: generated under the data dir
 * @param broker    the Artemis broker
 * @param engine    how steps are consumed
 * @param api       HTTP API limits
 * @param deploy    what is deployed at start-up
 */
@ConfigurationProperties("baton")
public record HubProperties(@DefaultValue("./data") Path dataDir,
                            String usersFile,
                            @DefaultValue Broker broker,
                            @DefaultValue Engine engine,
                            @DefaultValue Api api,
                            @DefaultValue Deploy deploy,
                            @DefaultValue Bpmn bpmn) {

    /**
     * @param url                  an external broker ({@code tcp://host:61616}); empty for the embedded one
     * @param serverId             the embedded broker's in-VM id (unique per JVM; tests run several hubs)
     * @param acceptor             host:port of the embedded broker's CORE acceptor; empty for none (never 5672)
     * @param journalBufferTimeout how long the NIO journal gathers writes before one fsync
     * @param redeliveryDelay      first wait before a rolled-back command is delivered again
     * @param redeliveryMultiplier factor on that wait per further rollback
     * @param maxRedeliveryDelay   upper bound of the wait
     * @param maxDeliveryAttempts  deliveries before a command is dead-lettered (and becomes an incident)
     */
    public record Broker(String url,
                         @DefaultValue("0") int serverId,
                         @DefaultValue("127.0.0.1:61616") String acceptor,
                         @DefaultValue("500us") Duration journalBufferTimeout,
                         @DefaultValue("1s") Duration redeliveryDelay,
                         @DefaultValue("2.0") double redeliveryMultiplier,
                         @DefaultValue("30s") Duration maxRedeliveryDelay,
                         @DefaultValue("6") int maxDeliveryAttempts) {

        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * @param batchSize        most commands one consumer takes in one JMS and one database transaction
     * @param consumers        consumers per step queue unless the step says otherwise
     * @param callConsumers    consumers per queue of a call step (they wait on remote systems)
     * @param callBatchSize    most commands per transaction on a call step's queue: the calls of a batch
     *                         run one after the other, so a large batch delays its last command
     * @param receiveTimeout   how long an idle consumer blocks before it checks whether to stop
     * @param outboxSweep      how often commands written by API calls but not yet sent are re-sent
     * @param definitionSync   how often a node looks for definitions deployed through another node
     * @param h2CheckpointInterval least time between two group writes of H2 commits (see H2GroupCheckpoint)
     * @param consumerMode     {@code pooled}: step queues share bounded thread pools; {@code dedicated}: each
     *                         consumer of each step queue has a thread of its own (the design before issue 13)
     * @param consumerThreads  pooled: threads that run the batches of every step queue but call steps' queues
     * @param callConsumerThreads pooled: threads that run the batches of call steps' queues (they wait on
     *                         remote systems, so they have their own threads and never hold up routing)
     * @param maxInterruptedDeliveries times the hub may stop while processing one command before the command is
     *                         parked as an incident (BATON-RT-008) instead of being run again
     */
    public record Engine(@DefaultValue("200") int batchSize,
                         @DefaultValue("1") int consumers,
                         @DefaultValue("4") int callConsumers,
                         @DefaultValue("10") int callBatchSize,
                         @DefaultValue("1s") Duration receiveTimeout,
                         @DefaultValue("5s") Duration outboxSweep,
                         @DefaultValue("5s") Duration definitionSync,
                         @DefaultValue("0ms") Duration h2CheckpointInterval,
                         @DefaultValue("pooled") ConsumerMode consumerMode,
                         @DefaultValue("16") int consumerThreads,
                         @DefaultValue("32") int callConsumerThreads,
                         @DefaultValue("3") int maxInterruptedDeliveries) {
    }

    /** How step queues are consumed. */
    public enum ConsumerMode {
        /** Asynchronous delivery on two bounded pools (steps, call steps): threads independent of the step count. */
        POOLED,
        /** A thread blocked in {@code receive()} per consumer of each step queue. */
        DEDICATED
    }

    /** @param maxBodySize largest request body accepted; larger ones get 413 */
    public record Api(@DefaultValue("1MB") DataSize maxBodySize) {
    }

    /** @param examples folder of definitions deployed at start-up (unchanged ones are skipped); empty for none */
    public record Deploy(@DefaultValue("examples/processes") String examples) {
    }

    /**
     * BPMN 2.0 import.
     *
     * @param bindings foreign task types (a Zeebe {@code taskDefinition type}, Camunda's {@code topic},
     *                 {@code type}, {@code class}, {@code delegateExpression} or {@code expression}, Flowable's
     *                 and Activiti's) → the connector operation that does that work here, e.g.
     *                 {@code baton.bpmn.bindings[deploySnapshot]=http.post}
     * @param expressions  expressions a model writes for its engine's beans, as written → the JSONata meaning the
     *                     same here, e.g. {@code baton.bpmn.expressions[#{svc.findRequester(id)}]=requester}
     *                     (assignees so far)
     * @param defaultRoles candidate roles of user tasks that name neither groups nor an assignee, e.g.
     *                     {@code baton.bpmn.default-roles=reviewer}; empty: such tasks are refused at deployment
     */
    public record Bpmn(Map<String, String> bindings, Map<String, String> expressions, List<String> defaultRoles) {
        public Bpmn {
            bindings = bindings == null ? Map.of() : Map.copyOf(bindings);
            expressions = expressions == null ? Map.of() : Map.copyOf(expressions);
            defaultRoles = defaultRoles == null ? List.of() : List.copyOf(defaultRoles);
        }
    }
}
