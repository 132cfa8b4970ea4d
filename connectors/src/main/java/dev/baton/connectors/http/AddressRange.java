package dev.baton.connectors.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A CIDR range ({@code 10.0.0.0/8}, {@code fe80::/10}), and the ranges an outbound call never reaches
 * unless an operator names them: every address that is not the public internet's.
 *
 * @param network the range's first address, as bytes (4 or 16)
 * @param bits    the prefix length
 * @param name    what the range is, as a refusal names it
 */
record AddressRange(byte[] network, int bits, String name) {

    /**
     * Loopback, link-local (cloud metadata: 169.254.169.254, fd00:ec2::254), RFC 1918, unique-local,
     * "this network", carrier-grade NAT, benchmarking, multicast and reserved ranges. IPv6 forms that
     * embed an IPv4 address are judged by the embedded one ({@link #embeddedIpv4}).
     */
    static final List<AddressRange> NOT_PUBLIC = List.of(
            parse("0.0.0.0/8", "'this network' 0.0.0.0/8"),
            parse("10.0.0.0/8", "private (RFC 1918) 10.0.0.0/8"),
            parse("100.64.0.0/10", "shared address space (RFC 6598) 100.64.0.0/10"),
            parse("127.0.0.0/8", "loopback 127.0.0.0/8"),
            parse("169.254.0.0/16", "link-local 169.254.0.0/16 (cloud metadata)"),
            parse("172.16.0.0/12", "private (RFC 1918) 172.16.0.0/12"),
            parse("192.0.0.0/24", "IETF protocol assignments 192.0.0.0/24"),
            parse("192.168.0.0/16", "private (RFC 1918) 192.168.0.0/16"),
            parse("198.18.0.0/15", "benchmarking 198.18.0.0/15"),
            parse("224.0.0.0/4", "multicast 224.0.0.0/4"),
            parse("240.0.0.0/4", "reserved 240.0.0.0/4"),
            parse("::/128", "unspecified ::"),
            parse("::1/128", "loopback ::1"),
            parse("100::/64", "discard-only 100::/64"),
            parse("fc00::/7", "unique-local fc00::/7 (incl. fd00:ec2::254, cloud metadata)"),
            parse("fe80::/10", "link-local fe80::/10"),
            parse("fec0::/10", "site-local fec0::/10"),
            parse("ff00::/8", "multicast ff00::/8"));

    /**
     * Parses {@code address} or {@code address/bits}; the address must be a literal (no name lookup).
     *
     * @throws IllegalArgumentException when it is neither
     */
    static AddressRange parse(String cidr, String name) {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] bytes = literal(address).orElseThrow(() -> new IllegalArgumentException(
                "'" + cidr + "' is not an IP address or CIDR range"));
        int bits;
        try {
            bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no prefix length after '/'");
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw new IllegalArgumentException("'" + cidr + "' has a prefix longer than its address");
        }
        return new AddressRange(bytes, bits, name == null ? cidr : name);
    }

    /** The bytes of an IPv4 or IPv6 literal (brackets allowed), or empty when it is a host name. */
    static Optional<byte[]> literal(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && Arrays.stream(s.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        boolean v6 = s.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // Only literals get here, and InetAddress parses a literal without looking anything up.
            InetAddress a = InetAddress.getByName(s);
            return Optional.of(a.getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** The not-public range the address is in, the IPv4 address an IPv6 form embeds judged as itself. */
    static Optional<AddressRange> notPublic(InetAddress address) {
        Optional<InetAddress> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return notPublic(embedded.get());
        }
        return NOT_PUBLIC.stream().filter(r -> r.contains(address)).findFirst();
    }

    /**
     * The IPv4 address inside an IPv6 one that carries it: IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-compatible
     * {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} and 6to4 {@code 2002:aabb:ccdd::}.
     */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] a = address.getAddress();
        byte[] v4 = null;
        if (zero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            v4 = Arrays.copyOfRange(a, 12, 16); // mapped
        } else if (zero(a, 0, 12) && !zero(a, 12, 16) && !(zero(a, 12, 15) && a[15] == 1)) {
            v4 = Arrays.copyOfRange(a, 12, 16); // compatible (not :: or ::1)
        } else if ((a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b
                && zero(a, 4, 12)) {
            v4 = Arrays.copyOfRange(a, 12, 16); // NAT64
        } else if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
            v4 = Arrays.copyOfRange(a, 2, 6); // 6to4
        }
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static boolean zero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.bits == bits && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + bits;
    }
}
