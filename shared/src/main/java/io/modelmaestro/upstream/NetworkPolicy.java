package io.modelmaestro.upstream;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses the gateway may connect to upstream (SSRF defence; ../shared/docs/reliability.md §1.1). Checked when
 * an admin saves a node URL and again on every connection against the resolved IP (DNS rebinding), and redirects are
 * never followed.
 *
 * <p>Always denied: the unspecified addresses, link-local ranges (which hold the cloud metadata services), the known
 * metadata IPs, multicast, and the IPv4-mapped/compatible/NAT64 IPv6 forms of all of these. Loopback and private
 * ranges are allowed only when listed in {@code maestro.upstream.allowed-networks} (CIDRs): the local runtime allows
 * them, because Ollama boxes live there; the Lambda deployment allows only its VPC ranges (a loopback call in Lambda
 * would reach the runtime API).
 */
@Singleton
public class NetworkPolicy {

    private final List<Cidr> allowed = new ArrayList<>();

    public NetworkPolicy(@Value("${maestro.upstream.allowed-networks:}") List<String> allowedNetworks) {
        for (String cidr : allowedNetworks) {
            if (!cidr.isBlank()) {
                allowed.add(Cidr.parse(cidr.trim()));
            }
        }
    }

    /** Why {@code address} may not be used, or empty when it may. */
    public Optional<String> denial(InetAddress address) {
        InetAddress a = unwrap(address);
        if (alwaysDenied(a)) {
            return Optional.of("address " + a.getHostAddress() + " is never allowed as an upstream");
        }
        boolean restricted = a.isLoopbackAddress() || a.isSiteLocalAddress() || isUniqueLocal(a) || isCgnat(a);
        if (restricted && allowed.stream().noneMatch(c -> c.contains(a))) {
            return Optional.of("address " + a.getHostAddress()
                    + " is a loopback or private address not listed in maestro.upstream.allowed-networks");
        }
        return Optional.empty();
    }

    /**
     * Validates a node base URL as an admin saves it: http(s) only, no credentials or query in the URL, and every
     * address the host resolves to allowed. Returns the problem, or empty when the URL is acceptable.
     */
    public Optional<String> checkBaseUrl(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            return Optional.of("base_url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("base_url must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("base_url must not contain credentials; use api_key");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("base_url must not contain a query or fragment");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("base_url has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            // Fail closed: a name that does not resolve now could resolve anywhere later.
            return Optional.of("base_url host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> denial = denial(address);
            if (denial.isPresent()) {
                return Optional.of("base_url " + denial.get());
            }
        }
        return Optional.empty();
    }

    private static boolean alwaysDenied(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            // 0.0.0.0/8 reaches loopback on Linux; 192.0.0.192 is Oracle Cloud's metadata service.
            return first == 0
                    || (first == 192 && (b[1] & 0xff) == 0 && (b[2] & 0xff) == 0 && (b[3] & 0xff) == 192)
                    || first >= 240;
        }
        // fd00:ec2::254 is the AWS metadata service over IPv6.
        return a.getHostAddress().equalsIgnoreCase("fd00:ec2:0:0:0:0:0:254");
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) or NAT64 (64:ff9b::) form. */
    static InetAddress unwrap(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        // :: and ::1 are the unspecified and loopback addresses, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1.
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0 && !(allZero(b, 12, 14) && (b[15] & 0xff) <= 1);
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 11);
        if (mapped || compatible || nat64) {
            try {
                return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            } catch (UnknownHostException e) {
                return address;
            }
        }
        return address;
    }

    private static boolean allZero(byte[] b, int from, int toInclusive) {
        for (int i = from; i <= toInclusive; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUniqueLocal(InetAddress a) {
        return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static boolean isCgnat(InetAddress a) {
        byte[] b = a.getAddress();
        return a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    /** A CIDR block. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            try {
                byte[] network = InetAddress.getByName(host).getAddress();
                int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new NumberFormatException("prefix out of range");
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + text);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((a[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
