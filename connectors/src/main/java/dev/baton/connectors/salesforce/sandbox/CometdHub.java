package dev.baton.connectors.salesforce.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Streaming API's server side: CometD 1.0 (Bayeux) long polling with Salesforce's replay extension.
 *
 * <p>Channels: {@code /data/<Entity>ChangeEvent} and {@code /data/ChangeEvents} carry change events; other
 * {@code /topic/..} and {@code /event/..} channels can be subscribed but stay silent. A {@code /meta/connect}
 * after the first is held until an event is pending or the hold time passes; pending event messages go into
 * the same response array ahead of the connect reply.
 */
final class CometdHub {

    private static final long ADVICE_TIMEOUT = 110_000L;

    private final SandboxOrg org;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> subscriptionsMade = new ConcurrentHashMap<>();
    private volatile Duration hold;
    private volatile boolean closed;

    private static final class Client {
        final String clientId;
        final String userId;
        final Map<String, Boolean> subscriptions = new ConcurrentHashMap<>();
        final Deque<Map<String, Object>> pending = new ArrayDeque<>();
        final ReentrantLock lock = new ReentrantLock();
        final Condition signal = lock.newCondition();
        volatile boolean connected;
        volatile boolean gone;
        volatile long lastSeen = System.currentTimeMillis();

        Client(String clientId, String userId) {
            this.clientId = clientId;
            this.userId = userId;
        }

        void offer(Map<String, Object> message) {
            lock.lock();
            try {
                pending.add(message);
                signal.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void wake() {
            lock.lock();
            try {
                signal.signalAll();
            } finally {
                lock.unlock();
            }
        }

        List<Map<String, Object>> awaitAndDrain(long holdMillis) throws InterruptedException {
            lock.lock();
            try {
                long nanos = TimeUnit.MILLISECONDS.toNanos(holdMillis);
                while (pending.isEmpty() && !gone && nanos > 0) {
                    nanos = signal.awaitNanos(nanos);
                }
                List<Map<String, Object>> out = new ArrayList<>(pending);
                pending.clear();
                return out;
            } finally {
                lock.unlock();
            }
        }
    }

    CometdHub(SandboxOrg org, Duration hold) {
        this.org = org;
        this.hold = hold;
        org.addListener(this::publish);
    }

    void hold(Duration hold) {
        this.hold = hold;
    }

    /** How many connected clients subscribe to a channel. */
    int subscribers(String channel) {
        int n = 0;
        for (Client c : clients.values()) {
            if (c.subscriptions.containsKey(channel)) {
                n++;
            }
        }
        return n;
    }

    /** Subscriptions to a channel ever made (a client that handshakes and subscribes again counts again). */
    long subscriptionsMade(String channel) {
        java.util.concurrent.atomic.AtomicLong n = subscriptionsMade.get(channel);
        return n == null ? 0 : n.get();
    }

    void close() {
        closed = true;
        for (Client c : clients.values()) {
            c.gone = true;
            c.wake();
        }
    }

    /** Fan-out of a committed change event; called with the org lock held, so ordering matches replay ids. */
    private void publish(SandboxOrg.ChangeEvent event) {
        long staleBefore = System.currentTimeMillis() - Math.max(60_000L, 2 * hold.toMillis() + 30_000L);
        for (Client c : clients.values()) {
            if (c.lastSeen < staleBefore) {
                // like Salesforce, forget a client that stopped polling (its consumer died without disconnecting)
                clients.remove(c.clientId);
                continue;
            }
            for (String channel : c.subscriptions.keySet()) {
                if (carries(channel, event)) {
                    c.offer(eventMessage(channel, event));
                }
            }
        }
    }

    private static boolean carries(String channel, SandboxOrg.ChangeEvent event) {
        return channel.equals("/data/ChangeEvents") || channel.equals("/data/" + event.entityName() + "ChangeEvent");
    }

    private static Map<String, Object> eventMessage(String channel, SandboxOrg.ChangeEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", event.data());
        m.put("channel", channel);
        return m;
    }

    /** Answers one POST of Bayeux messages for an authenticated user; may block on /meta/connect. */
    List<Map<String, Object>> handle(List<Map<String, Object>> messages, String userId) throws InterruptedException {
        List<Map<String, Object>> replies = new ArrayList<>();
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (Map<String, Object> msg : messages) {
            String channel = String.valueOf(msg.get("channel"));
            if (channel.equals("/meta/handshake")) {
                replies.add(handshake(msg, userId));
                continue;
            }
            Client client = clients.get(String.valueOf(msg.get("clientId")));
            if (client == null) {
                replies.add(unknownClient(msg));
                continue;
            }
            client.lastSeen = System.currentTimeMillis();
            switch (channel) {
                case "/meta/connect":
                    deliveries.addAll(connect(client, msg));
                    replies.add(reply(msg, client, true, advice("retry")));
                    break;
                case "/meta/subscribe":
                    replies.add(subscribe(client, msg));
                    break;
                case "/meta/unsubscribe": {
                    Object sub = msg.get("subscription");
                    client.subscriptions.remove(String.valueOf(sub));
                    Map<String, Object> r = reply(msg, client, true, null);
                    r.put("subscription", sub);
                    replies.add(r);
                    break;
                }
                case "/meta/disconnect":
                    clients.remove(client.clientId);
                    client.gone = true;
                    client.wake();
                    replies.add(reply(msg, client, true, null));
                    break;
                default: {
                    Map<String, Object> r = reply(msg, client, false, null);
                    r.put("error", "403::Publishing not supported on channel " + channel);
                    replies.add(r);
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(deliveries);
        out.addAll(replies);
        return out;
    }

    private Map<String, Object> handshake(Map<String, Object> msg, String userId) {
        String clientId = UUID.randomUUID().toString().replace("-", "").substring(0, 26);
        Client c = new Client(clientId, userId);
        clients.put(clientId, c);
        Map<String, Object> r = reply(msg, c, true, advice("retry"));
        r.put("version", "1.0");
        r.put("minimumVersion", "1.0");
        r.put("supportedConnectionTypes", List.of("long-polling"));
        Map<String, Object> ext = new LinkedHashMap<>();
        Object requestedExt = msg.get("ext");
        boolean replay = requestedExt instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) requestedExt).get("replay"));
        ext.put("replay", replay);
        ext.put("payload.format", true);
        r.put("ext", ext);
        return r;
    }

    private List<Map<String, Object>> connect(Client client, Map<String, Object> msg) throws InterruptedException {
        boolean immediate = !client.connected || closed;
        Object adv = msg.get("advice");
        if (adv instanceof Map && ((Map<?, ?>) adv).get("timeout") instanceof Number
                && ((Number) ((Map<?, ?>) adv).get("timeout")).longValue() == 0L) {
            immediate = true;
        }
        client.connected = true;
        try {
            return client.awaitAndDrain(immediate ? 0 : hold.toMillis());
        } finally {
            client.lastSeen = System.currentTimeMillis();
        }
    }

    private Map<String, Object> subscribe(Client client, Map<String, Object> msg) {
        String channel = String.valueOf(msg.get("subscription"));
        Map<String, Object> r = reply(msg, client, true, null);
        r.put("subscription", channel);
        if (!knownChannel(channel)) {
            r.put("successful", false);
            r.put("error", "400::The channel you requested to subscribe to does not exist {" + channel + "}");
            return r;
        }
        long from = -1;
        Object ext = msg.get("ext");
        if (ext instanceof Map) {
            Object replay = ((Map<?, ?>) ext).get("replay");
            if (replay instanceof Map) {
                Object v = ((Map<?, ?>) replay).get(channel);
                if (v instanceof Number) {
                    from = ((Number) v).longValue();
                } else if (v != null) {
                    try {
                        from = Long.parseLong(v.toString());
                    } catch (NumberFormatException e) {
                        r.put("successful", false);
                        r.put("error", "400::The replayId {" + v + "} you provided was invalid.  Please provide a "
                                + "valid ID, -2 to replay all events, or -1 to replay only new events.");
                        return r;
                    }
                }
            }
        }
        long replayFrom = from;
        // register and replay under the org lock: no event can slip between the backlog and the live feed;
        // subscribing again to a channel the client already has is a no-op (no second replay)
        org.withEvents(events -> {
            if (client.subscriptions.containsKey(channel)) {
                return null;
            }
            if (replayFrom != -1) {
                for (SandboxOrg.ChangeEvent e : events) {
                    if ((replayFrom == -2 || e.replayId() > replayFrom) && carries(channel, e)) {
                        client.offer(eventMessage(channel, e));
                    }
                }
            }
            client.subscriptions.put(channel, Boolean.TRUE);
            subscriptionsMade.computeIfAbsent(channel, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            return null;
        });
        return r;
    }

    private boolean knownChannel(String channel) {
        if (channel.equals("/data/ChangeEvents")) {
            return true;
        }
        if (channel.startsWith("/data/") && channel.endsWith("ChangeEvent")) {
            String entity = channel.substring("/data/".length(), channel.length() - "ChangeEvent".length());
            return org.type(entity) != null && org.type(entity).name().equals(entity);
        }
        return channel.startsWith("/topic/") || channel.startsWith("/event/");
    }

    private static Map<String, Object> unknownClient(Map<String, Object> msg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("channel", msg.get("channel"));
        if (msg.get("id") != null) {
            r.put("id", msg.get("id"));
        }
        if (msg.get("subscription") != null) {
            r.put("subscription", msg.get("subscription"));
        }
        r.put("successful", false);
        r.put("error", "403::Unknown client");
        Map<String, Object> advice = new LinkedHashMap<>();
        advice.put("reconnect", "handshake");
        advice.put("interval", 0);
        r.put("advice", advice);
        return r;
    }

    /**
     * The reply to every message of a POST whose OAuth token is invalid, as Salesforce words it: HTTP 200 with
     * Bayeux errors whose {@code ext.sfdc.failureReason} is {@code 401::Authentication invalid} and advice
     * {@code reconnect: none}. camel-salesforce 4.17 keys its re-login on exactly that failure reason (handshake
     * error {@code 403::...}, connect error {@code 401::Authentication invalid}); an HTTP 401 on a CometD request
     * instead hits a NullPointerException in its SalesforceSecurityHandler and the long poll never completes.
     */
    static List<Map<String, Object>> authenticationInvalid(List<Map<String, Object>> messages) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> msg : messages) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("channel", msg.get("channel"));
            if (msg.get("id") != null) {
                r.put("id", msg.get("id"));
            }
            if (msg.get("clientId") != null) {
                r.put("clientId", msg.get("clientId"));
            }
            if (msg.get("subscription") != null) {
                r.put("subscription", msg.get("subscription"));
            }
            r.put("successful", false);
            boolean handshake = "/meta/handshake".equals(msg.get("channel"));
            r.put("error", handshake ? "403::Handshake denied" : "401::Authentication invalid");
            r.put("ext", Map.of("sfdc", Map.of("failureReason", "401::Authentication invalid")));
            r.put("advice", Map.of("reconnect", "none"));
            out.add(r);
        }
        return out;
    }

    private static Map<String, Object> reply(Map<String, Object> msg, Client client, boolean ok,
                                             Map<String, Object> advice) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("channel", msg.get("channel"));
        if (msg.get("id") != null) {
            r.put("id", msg.get("id"));
        }
        r.put("clientId", client.clientId);
        r.put("successful", ok);
        if (advice != null) {
            r.put("advice", advice);
        }
        return r;
    }

    private static Map<String, Object> advice(String reconnect) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("reconnect", reconnect);
        a.put("interval", 0);
        a.put("timeout", ADVICE_TIMEOUT);
        return a;
    }
}
