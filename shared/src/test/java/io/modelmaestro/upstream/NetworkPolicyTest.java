package io.modelmaestro.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkPolicyTest {

    /** Every loopback and private range the local runtime would list. */
    private static final List<String> PRIVATE_RANGES = List.of(
            "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "::1/128", "fc00::/7");

    /** Everything: proves the always-denied list cannot be overridden by configuration. */
    private static final List<String> ALLOW_ALL = List.of("0.0.0.0/0", "::/0");

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "0.1.2.3",
                "::",
                "169.254.169.254",
                "169.254.0.1",
                "fd00:ec2::254",
                "192.0.0.192",
                "fe80::1",
                "fe80::a9fe:a9fe",
                "::ffff:169.254.169.254",
                "::ffff:a9fe:a9fe",
                "::169.254.169.254",
                "64:ff9b::a9fe:a9fe",
                "64:ff9b::169.254.169.254",
                "64:ff9b::c000:c0",
                "::ffff:0.0.0.0",
                "224.0.0.1",
                "239.255.255.250",
                "ff02::1",
                "ff05::1:3",
                "240.0.0.1",
                "255.255.255.255"
            })
    void denial_alwaysDeniedAddresses_evenWhenEverythingIsAllowed(String literal) {
        for (List<String> allowed : List.of(List.<String>of(), PRIVATE_RANGES, ALLOW_ALL)) {
            assertThat(new NetworkPolicy(allowed).denial(ip(literal)))
                    .as("%s with allowlist %s", literal, allowed)
                    .hasValueSatisfying(reason -> assertThat(reason).contains("never allowed"));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.1.2.3",
                "10.0.0.5",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.10",
                "100.64.0.1",
                "100.127.255.255",
                "::1",
                "fc00::1",
                "fd12:3456::1",
                "::ffff:10.0.0.1",
                "::ffff:127.0.0.1",
                "64:ff9b::a00:1",
                "64:ff9b::7f00:1"
            })
    void denial_loopbackAndPrivateAddresses_areAllowedOnlyWhenListed(String literal) {
        assertThat(new NetworkPolicy(List.of()).denial(ip(literal)))
                .as("not listed")
                .hasValueSatisfying(reason -> assertThat(reason).contains("allowed-networks"));
        assertThat(new NetworkPolicy(PRIVATE_RANGES).denial(ip(literal)))
                .as("listed")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "11.0.0.1",
                "172.32.0.1",
                "172.15.255.255",
                "192.169.0.1",
                "100.128.0.1",
                "100.63.255.255",
                "2606:4700:4700::1111",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808"
            })
    void denial_publicAddresses_areAllowedWithoutAnyAllowlist(String literal) {
        assertThat(new NetworkPolicy(List.of()).denial(ip(literal))).isEmpty();
    }

    static Stream<Arguments> cidrBoundaries() {
        return Stream.of(
                Arguments.of("10.1.0.0/16", "10.1.0.0", true),
                Arguments.of("10.1.0.0/16", "10.1.255.255", true),
                Arguments.of("10.1.0.0/16", "10.2.0.0", false),
                Arguments.of("10.1.0.0/16", "10.0.255.255", false),
                Arguments.of("192.168.1.0/25", "192.168.1.127", true),
                Arguments.of("192.168.1.0/25", "192.168.1.128", false),
                Arguments.of("172.16.0.0/12", "172.31.0.1", true),
                Arguments.of("172.16.0.0/12", "172.15.0.1", true), // public anyway
                Arguments.of("127.0.0.1", "127.0.0.1", true), // a bare address is a /32
                Arguments.of("127.0.0.1", "127.0.0.2", false),
                Arguments.of(" 10.1.0.0/16 ", "10.1.2.3", true), // surrounding blanks are trimmed
                Arguments.of("fd00::/8", "fd12::1", true),
                Arguments.of("fd00::/8", "fc00::1", false),
                Arguments.of("10.0.0.0/8", "fd00::1", false), // IPv4 ranges never match IPv6 addresses
                Arguments.of("::1/128", "127.0.0.1", false));
    }

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @MethodSource("cidrBoundaries")
    void denial_matchesAllowlistCidrsExactly(String cidr, String literal, boolean allowed) {
        assertThat(new NetworkPolicy(List.of(cidr)).denial(ip(literal)).isEmpty())
                .isEqualTo(allowed);
    }

    @Test
    void constructor_ignoresBlankEntries() {
        NetworkPolicy policy = new NetworkPolicy(List.of("", "  ", "10.0.0.0/8"));
        assertThat(policy.denial(ip("10.9.9.9"))).isEmpty();
        assertThat(policy.denial(ip("192.168.0.1"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/x", "10.0.0.0/", "[::1/64", "10.0.0.0/-1", "10.0.0.0/33", "fd00::/129"})
    void constructor_rejectsMalformedCidrs(String cidr) {
        assertThatThrownBy(() -> new NetworkPolicy(List.of(cidr)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(cidr);
    }

    // ---- checkBaseUrl ----

    static Stream<Arguments> rejectedBaseUrls() {
        return Stream.of(
                Arguments.of("ftp://127.0.0.1/models", "must start with http:// or https://"),
                Arguments.of("file:///etc/passwd", "must start with http:// or https://"),
                Arguments.of("gopher://127.0.0.1:70", "must start with http:// or https://"),
                Arguments.of("localhost:11434", "must start with http:// or https://"),
                Arguments.of("127.0.0.1:11434", "not a valid URL"),
                Arguments.of("//127.0.0.1:11434", "must start with http:// or https://"),
                Arguments.of("http://user:secret@127.0.0.1:11434", "must not contain credentials"),
                Arguments.of("http://user@127.0.0.1:11434", "must not contain credentials"),
                Arguments.of("http://127.0.0.1:11434/?key=x", "must not contain a query or fragment"),
                Arguments.of("http://127.0.0.1:11434/#top", "must not contain a query or fragment"),
                Arguments.of("http://nonexistent.invalid", "does not resolve"),
                Arguments.of("http:///v1", "has no host"),
                Arguments.of("http://exa mple.com", "not a valid URL"),
                Arguments.of("http://169.254.169.254/latest/meta-data", "never allowed"),
                Arguments.of("http://[fd00:ec2::254]/", "never allowed"),
                Arguments.of("http://[::ffff:a9fe:a9fe]/", "never allowed"),
                Arguments.of("http://0.0.0.0:11434", "never allowed"),
                Arguments.of("http://192.168.1.5:11434", "not listed in maestro.upstream.allowed-networks"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedBaseUrls")
    void checkBaseUrl_rejects(String url, String reason) {
        NetworkPolicy policy = new NetworkPolicy(List.of("127.0.0.0/8", "::1/128"));
        assertThat(policy.checkBaseUrl(url))
                .hasValueSatisfying(
                        problem -> assertThat(problem).startsWith("base_url").contains(reason));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:11434",
                "http://127.0.0.1:11434/",
                "http://127.0.0.1:11434/v1",
                "https://127.0.0.1",
                "HTTP://127.0.0.1:11434",
                "  http://127.0.0.1:11434  ",
                "http://[::1]:11434",
                "http://8.8.8.8/v1"
            })
    void checkBaseUrl_acceptsAllowedUrls(String url) {
        NetworkPolicy policy = new NetworkPolicy(List.of("127.0.0.0/8", "::1/128"));
        assertThat(policy.checkBaseUrl(url)).isEmpty();
    }

    @Test
    void checkBaseUrl_loopbackIsRejectedWhenNotAllowed() {
        NetworkPolicy policy = new NetworkPolicy(List.of("10.0.0.0/8"));
        assertThat(policy.checkBaseUrl("http://127.0.0.1:11434"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("127.0.0.1"));
    }

    // ---- unwrap ----

    static Stream<Arguments> unwrapped() {
        return Stream.of(
                Arguments.of("64:ff9b::a9fe:a9fe", "169.254.169.254"),
                Arguments.of("::169.254.169.254", "169.254.169.254"),
                Arguments.of("64:ff9b::a00:1", "10.0.0.1"),
                Arguments.of("::1", "0:0:0:0:0:0:0:1"), // loopback, not an IPv4-compatible address
                Arguments.of("::", "0:0:0:0:0:0:0:0"),
                Arguments.of("2001:db8::a9fe:a9fe", "2001:db8:0:0:0:0:a9fe:a9fe"),
                Arguments.of("64:ff9b:1::a9fe:a9fe", "64:ff9b:1:0:0:0:a9fe:a9fe"), // not the /96 well-known prefix
                Arguments.of("10.0.0.1", "10.0.0.1"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("unwrapped")
    void unwrap_extractsEmbeddedIpv4OnlyFromMappedCompatibleAndNat64Forms(String literal, String expected) {
        assertThat(NetworkPolicy.unwrap(ip(literal)).getHostAddress()).isEqualTo(expected);
    }
}
