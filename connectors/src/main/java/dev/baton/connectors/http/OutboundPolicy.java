package dev.baton.connectors.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@code http.*} calls may go. Two rules, both applied to every call:
 * <ol>
 *   <li>its URL matches an entry of {@code allow} (any URL when the list is empty): a URL prefix
 *       {@code https://api.example.com/v1/}, a host {@code api.example.com}, or every host under a domain
 *       {@code *.example.com}, each optionally with {@code :port};</li>
 *   <li>the address it connects to is public, or named by an entry of {@code allowPrivate}: an address or
 *       CIDR range, optionally with a port ({@code 10.20.0.5}, {@code 10.20.0.0/16}, {@code 127.0.0.1:8091},
 *       {@code [fd00::1]:443}). Private addresses are allowed by address, never by name: whoever controls a
 *       name's DNS could point it anywhere.</li>
 * </ol>
 * Immutable and thread-safe; asks no DNS server (names are resolved by {@link GuardedDnsResolver}).
 */
public final class OutboundPolicy {

    /** The port of a connection whose port is not known: only allowances for every port match it. */
    public static final int ANY_PORT = -1;

    /** The settings a refusal names, so an operator knows what to change. */
    public static final String ALLOW = "baton.connectors.http.allow";
    public static final String ALLOW_PRIVATE = "baton.connectors.http.allow-private";

    private record UrlRule(String text, String scheme, String host, boolean subdomains, int port, String path) {

        boolean matches(URI url, String host, int port, String path) {
            if (scheme != null && !scheme.equals(url.getScheme().toLowerCase(Locale.ROOT))) {
                return false;
            }
            boolean hostMatches = subdomains ? host.endsWith("." + this.host) : host.equals(this.host);
            if (!hostMatches || (this.port != ANY_PORT && this.port != port)) {
                return false;
            }
            if (this.path == null || this.path.isEmpty() || this.path.equals("/")) {
                return true;
            }
            return path.startsWith(this.path)
                    && (this.path.endsWith("/") || path.length() == this.path.length()
                    || path.charAt(this.path.length()) == '/');
        }
    }

    private record Allowance(AddressRange range, int port) {

        boolean allows(InetAddress address, int port) {
            return range.contains(address) && (this.port == ANY_PORT || this.port == port);
        }
    }

    private final List<UrlRule> allow;
    private final List<Allowance> allowPrivate;

    private OutboundPolicy(List<UrlRule> allow, List<Allowance> allowPrivate) {
        this.allow = List.copyOf(allow);
        this.allowPrivate = List.copyOf(allowPrivate);
    }

    /**
     * @param allow        URL prefixes and host patterns; empty: any URL
     * @param allowPrivate addresses and CIDR ranges, with an optional port, that may be reached though not public
     * @throws IllegalArgumentException naming the setting and the entry that cannot be read
     */
    public static OutboundPolicy of(List<String> allow, List<String> allowPrivate) {
        List<UrlRule> rules = new ArrayList<>();
        for (String entry : allow == null ? List.<String>of() : allow) {
            if (entry != null && !entry.isBlank()) {
                rules.add(urlRule(entry.trim()));
            }
        }
        List<Allowance> allowances = new ArrayList<>();
        for (String entry : allowPrivate == null ? List.<String>of() : allowPrivate) {
            if (entry != null && !entry.isBlank()) {
                allowances.add(allowance(entry.trim()));
            }
        }
        return new OutboundPolicy(rules, allowances);
    }

    /** The same policy, also reaching {@code addressAndPort} (a sandbox on loopback, e.g. {@code 127.0.0.1:8091}). */
    public OutboundPolicy alsoReaching(String addressAndPort) {
        List<Allowance> more = new ArrayList<>(allowPrivate);
        more.add(allowance(addressAndPort));
        return new OutboundPolicy(allow, more);
    }

    /**
     * Why a call to this URL is refused before any name is resolved, or empty: not in the allow-list, or a
     * literal address that is not public and not allowed. A host name's addresses are checked when it is
     * connected to ({@link #refusalOf(InetAddress, int)}).
     */
    public Optional<String> refusalOf(URI url) {
        String host = host(url);
        int port = port(url);
        if (!allow.isEmpty()) {
            String path = normalizedPath(url);
            if (allow.stream().noneMatch(r -> r.matches(url, host, port, path))) {
                return Optional.of("matches no entry of " + ALLOW);
            }
        }
        Optional<byte[]> literal = AddressRange.literal(host);
        if (literal.isPresent()) {
            try {
                return refusalOf(InetAddress.getByAddress(literal.get()), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // the bytes of a parsed literal
            }
        }
        return Optional.empty();
    }

    /** Why a connection to this address and port is refused (the range, and the setting that would allow it), or empty. */
    public Optional<String> refusalOf(InetAddress address, int port) {
        Optional<AddressRange> range = AddressRange.notPublic(address);
        if (range.isEmpty()) {
            return Optional.empty();
        }
        InetAddress judged = AddressRange.embeddedIpv4(address).orElse(address);
        if (allowPrivate.stream().anyMatch(a -> a.allows(judged, port))) {
            return Optional.empty();
        }
        return Optional.of("in " + range.get().name() + ", not public, and not named by " + ALLOW_PRIVATE);
    }

    /** The URL's host, lower case, IPv6 literals in brackets, without a trailing dot. */
    static String host(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    static int port(URI url) {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** The decoded path with dot segments removed, as the server will read it ({@code /v1/../admin} is {@code /admin}). */
    private static String normalizedPath(URI url) {
        String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
        try {
            return new URI(null, null, path, null).normalize().getPath();
        } catch (URISyntaxException e) {
            return path;
        }
    }

    private static UrlRule urlRule(String entry) {
        String lower = entry.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI uri;
            try {
                uri = new URI(entry);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(ALLOW + " entry '" + entry + "' is not a URL: " + e.getMessage());
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
                throw new IllegalArgumentException(ALLOW + " entry '" + entry
                        + "' must be scheme://host[:port][/path], without user, query or fragment");
            }
            return new UrlRule(entry, uri.getScheme().toLowerCase(Locale.ROOT), host(uri), false, port(uri),
                    normalizedPath(uri));
        }
        boolean subdomains = entry.startsWith("*.");
        String hostPort = subdomains ? entry.substring(2) : entry;
        URI uri;
        try {
            uri = new URI("http://" + hostPort);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || hostPort.contains("/") || hostPort.contains("*")
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(ALLOW + " entry '" + entry + "' must be a URL prefix "
                    + "(https://api.example.com/v1/), a host (api.example.com) or *.domain, with an optional :port");
        }
        return new UrlRule(entry, null, host(uri), subdomains, uri.getPort(), null);
    }

    private static Allowance allowance(String entry) {
        String range = entry;
        int port = ANY_PORT;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(ALLOW_PRIVATE + " entry '" + entry + "' has no closing ']'");
            }
            range = entry.substring(1, close);
            if (close + 1 < entry.length()) {
                port = port(entry, entry.substring(close + 1));
            }
        } else if (entry.indexOf(':') > 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            range = entry.substring(0, entry.indexOf(':'));
            port = port(entry, entry.substring(entry.indexOf(':')));
        }
        try {
            return new Allowance(AddressRange.parse(range, entry), port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ALLOW_PRIVATE + " entry '" + entry + "' must be an address or CIDR "
                    + "range with an optional port (10.0.0.5, 10.0.0.0/16, 127.0.0.1:8091, [fd00::1]:443), "
                    + "not a host name: " + e.getMessage());
        }
    }

    private static int port(String entry, String colonPort) {
        try {
            int port = Integer.parseInt(colonPort.substring(1));
            if (colonPort.charAt(0) == ':' && port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new IllegalArgumentException(ALLOW_PRIVATE + " entry '" + entry + "' has no valid port after ':'");
    }

    @Override
    public String toString() {
        return "allow=" + allow.stream().map(UrlRule::text).toList() + ", allow-private="
                + allowPrivate.stream().map(a -> a.range().name()).toList();
    }
}
