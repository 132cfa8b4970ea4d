package dev.baton.connectors.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Name resolution of the HTTP client that makes {@code http.*} calls, which hands the client only the
 * addresses the {@link OutboundPolicy} allows. HttpClient 5.5 connects to exactly the addresses this
 * returns (and resolves IP literals here too, as camel-http's hosts carry no address), so the address
 * checked is the address connected to: no second lookup a rebinding DNS server could answer differently.
 * Every connection is resolved here, a redirect's included.
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final OutboundPolicy policy;
    private final DnsResolver system;

    public GuardedDnsResolver(OutboundPolicy policy) {
        this(policy, SystemDefaultDnsResolver.INSTANCE);
    }

    GuardedDnsResolver(OutboundPolicy policy, DnsResolver system) {
        this.policy = policy;
        this.system = system;
    }

    /**
     * The allowed addresses of {@code host}; a name with both kinds yields only the allowed ones.
     *
     * @throws OutboundRefusedException when none is allowed, naming the first refused address and its rule
     */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> allowed = new ArrayList<>();
        OutboundRefusedException refused = null;
        for (InetAddress address : system.resolve(host)) {
            Optional<String> rule = policy.refusalOf(address, port);
            if (rule.isEmpty()) {
                allowed.add(new InetSocketAddress(address, port));
            } else if (refused == null) {
                refused = new OutboundRefusedException(describe(host, address, port), rule.get());
            }
        }
        if (allowed.isEmpty()) {
            throw refused != null ? refused : new UnknownHostException(host);
        }
        return allowed;
    }

    /** As {@link #resolve(String, int)} for a port not known: only allowances for any port apply. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return resolve(host, OutboundPolicy.ANY_PORT).stream().map(InetSocketAddress::getAddress)
                .toArray(InetAddress[]::new);
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return system.resolveCanonicalHostname(host);
    }

    private static String describe(String host, InetAddress address, int port) {
        String a = address.getHostAddress();
        String hostPort = (a.contains(":") ? "[" + a + "]" : a) + (port == OutboundPolicy.ANY_PORT ? "" : ":" + port);
        return host.equals(a) || host.equals("[" + a + "]") ? hostPort : host + " (" + hostPort + ")";
    }
}
