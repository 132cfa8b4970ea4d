package dev.baton.connectors.http;

import java.net.UnknownHostException;

/**
 * An outbound call refused before anything was sent: its URL is in no entry of the allow-list, or the
 * address it would connect to is not public and not allowed. An {@link UnknownHostException} because the
 * HTTP client's name resolution is where connections are refused ({@link GuardedDnsResolver}): the
 * address refused is the one that would have been connected to.
 */
public final class OutboundRefusedException extends UnknownHostException {

    private final String target;
    private final String rule;

    /**
     * @param target what was refused: an address and port ({@code 127.0.0.1:8080}) or a URL
     * @param rule   why, naming the range or setting ({@code loopback 127.0.0.0/8, not named in ...})
     */
    public OutboundRefusedException(String target, String rule) {
        super(target + " refused: " + rule);
        this.target = target;
        this.rule = rule;
    }

    public String target() {
        return target;
    }

    public String rule() {
        return rule;
    }
}
