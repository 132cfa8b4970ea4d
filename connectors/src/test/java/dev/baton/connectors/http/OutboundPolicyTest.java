package dev.baton.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where {@code http.*} calls may go: every private form refused, the allow-list read as operators write it. */
class OutboundPolicyTest {

    private static final OutboundPolicy DEFAULT = OutboundPolicy.of(List.of(), List.of());

    private static InetAddress address(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // literals only: nothing is looked up
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "0.0.0.0", "100.64.0.1", "192.0.0.192", "224.0.0.1", "255.255.255.255",
            "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "fec0::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "::127.0.0.1", "::a9fe:a9fe",
            "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:a00:1::1"})
    void shouldRefuseEveryAddressThatIsNotPublicByDefault(String literal) throws Exception {
        // when
        var refusal = DEFAULT.refusalOf(address(literal), 80);

        // then
        assertThat(refusal).as(literal).isPresent();
        assertThat(refusal.get()).contains("not public", OutboundPolicy.ALLOW_PRIVATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "11.0.0.1", "169.255.0.1",
            "2606:4700:4700::1111", "::ffff:8.8.8.8", "2002:808:808::"})
    void shouldAllowPublicAddressesByDefault(String literal) throws Exception {
        assertThat(DEFAULT.refusalOf(address(literal), 443)).as(literal).isEmpty();
    }

    @Test
    void shouldNameTheRangeOfTheMetadataAddress() throws Exception {
        assertThat(DEFAULT.refusalOf(address("169.254.169.254"), 80)).hasValueSatisfying(r ->
                assertThat(r).contains("link-local 169.254.0.0/16 (cloud metadata)"));
        assertThat(DEFAULT.refusalOf(address("fd00:ec2::254"), 80)).hasValueSatisfying(r ->
                assertThat(r).contains("unique-local fc00::/7"));
    }

    @Test
    void shouldReachAPrivateAddressOnlyOnThePortAnAllowanceNames() throws Exception {
        // given: a sandbox on loopback port 8091, and an ERP network
        OutboundPolicy policy = OutboundPolicy.of(List.of(), List.of("127.0.0.1:8091", "10.20.0.0/16", "[fd00::5]:443"));

        // then
        assertThat(policy.refusalOf(address("127.0.0.1"), 8091)).isEmpty();
        assertThat(policy.refusalOf(address("127.0.0.1"), 8080)).isPresent();
        assertThat(policy.refusalOf(address("127.0.0.2"), 8091)).isPresent();
        assertThat(policy.refusalOf(address("127.0.0.1"), OutboundPolicy.ANY_PORT)).isPresent();
        assertThat(policy.refusalOf(address("::ffff:127.0.0.1"), 8091)).isEmpty();
        assertThat(policy.refusalOf(address("10.20.3.4"), 1234)).isEmpty();
        assertThat(policy.refusalOf(address("10.21.0.1"), 1234)).isPresent();
        assertThat(policy.refusalOf(address("fd00::5"), 443)).isEmpty();
        assertThat(policy.refusalOf(address("fd00::5"), 80)).isPresent();
    }

    @Test
    void shouldRefuseAPrivateLiteralInAUrlBeforeAnythingIsResolved() {
        assertThat(DEFAULT.refusalOf(URI.create("http://169.254.169.254/latest/meta-data/"))).isPresent();
        assertThat(DEFAULT.refusalOf(URI.create("http://[::1]:8080/api"))).isPresent();
        assertThat(DEFAULT.refusalOf(URI.create("http://[::ffff:7f00:1]:8080/api"))).isPresent();
        assertThat(DEFAULT.refusalOf(URI.create("https://api.example.com/v1"))).isEmpty();
    }

    @Test
    void shouldMatchUrlPrefixesOnWholePathSegmentsAfterRemovingDotSegments() {
        // given
        OutboundPolicy policy = OutboundPolicy.of(List.of("https://api.example.com/v1/", "https://hooks.example.com/in"),
                List.of());

        // then
        assertThat(policy.refusalOf(URI.create("https://api.example.com/v1/orders?x=1"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("https://API.example.com./v1/orders"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("http://api.example.com/v1/orders"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://api.example.com:8443/v1/orders"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://api.example.com/v10/orders"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://api.example.com/v1/../admin"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://api.example.com/v1/%2e%2e/admin"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://api.example.com.evil.test/v1/"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://api.example.com@evil.test/v1/"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://hooks.example.com/in"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("https://hooks.example.com/in/42"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("https://hooks.example.com/internal"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://other.example.com/v1/"))).hasValue(
                "matches no entry of " + OutboundPolicy.ALLOW);
    }

    @Test
    void shouldMatchHostsAndSubdomainPatterns() {
        // given
        OutboundPolicy policy = OutboundPolicy.of(List.of("crm.example.com", "*.erp.example.com:8443"), List.of());

        // then
        assertThat(policy.refusalOf(URI.create("https://crm.example.com/any/path"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("http://crm.example.com:8080/"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("https://a.erp.example.com:8443/x"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("https://a.b.erp.example.com:8443/x"))).isEmpty();
        assertThat(policy.refusalOf(URI.create("https://erp.example.com:8443/x"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://a.erp.example.com/x"))).isPresent();
        assertThat(policy.refusalOf(URI.create("https://badcrm.example.com/"))).isPresent();
    }

    @Test
    void shouldStillRefuseAPrivateAddressAHostEntryAllows() {
        // given: the allow-list names a literal loopback URL, the private rule does not
        OutboundPolicy policy = OutboundPolicy.of(List.of("http://127.0.0.1:8080/"), List.of());

        // then
        assertThat(policy.refusalOf(URI.create("http://127.0.0.1:8080/api"))).hasValueSatisfying(r ->
                assertThat(r).contains("loopback"));
    }

    @Test
    void shouldRefuseSettingsItCannotRead() {
        assertThatThrownBy(() -> OutboundPolicy.of(List.of(), List.of("localhost")))
                .hasMessageContaining(OutboundPolicy.ALLOW_PRIVATE).hasMessageContaining("'localhost'")
                .hasMessageContaining("not a host name");
        assertThatThrownBy(() -> OutboundPolicy.of(List.of(), List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> OutboundPolicy.of(List.of(), List.of("127.0.0.1:http")))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> OutboundPolicy.of(List.of("ftp://files.example.com"), List.of()))
                .hasMessageContaining(OutboundPolicy.ALLOW).hasMessageContaining("'ftp://files.example.com'");
        assertThatThrownBy(() -> OutboundPolicy.of(List.of("https://u:p@api.example.com/"), List.of()))
                .hasMessageContaining("without user");
    }

    @Test
    void shouldConnectOnlyToTheAllowedAddressesOfANameThatResolvesToSeveral() throws Exception {
        // given: a name whose DNS answers with a public and a private address (rebinding), and one with only the
        // metadata address
        DnsResolver dns = new DnsResolver() {
            final Map<String, InetAddress[]> answers = Map.of(
                    "rebind.test", new InetAddress[] {address("203.0.113.7"), address("127.0.0.1")},
                    "metadata.test", new InetAddress[] {address("169.254.169.254")});

            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] a = answers.get(host);
                if (a == null) {
                    throw new UnknownHostException(host);
                }
                return a;
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        GuardedDnsResolver guarded = new GuardedDnsResolver(DEFAULT, dns);

        // when / then
        assertThat(guarded.resolve("rebind.test", 443)).containsExactly(
                new InetSocketAddress(address("203.0.113.7"), 443));
        assertThatThrownBy(() -> guarded.resolve("metadata.test", 80))
                .isInstanceOfSatisfying(OutboundRefusedException.class, e -> {
                    assertThat(e.target()).isEqualTo("metadata.test (169.254.169.254:80)");
                    assertThat(e.rule()).contains("link-local");
                });
        assertThatThrownBy(() -> guarded.resolve("unknown.test", 80)).isExactlyInstanceOf(UnknownHostException.class);
    }
}
