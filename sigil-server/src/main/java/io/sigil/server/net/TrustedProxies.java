package io.sigil.server.net;

import io.sigil.errors.ConfigError;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code api.trusted_proxies}). A request from any
 * other peer is its own client, whatever it sends: otherwise any client could pick the rate-limit bucket it is
 * charged to. From a trusted proxy, the client is the right-most address of the header that is not itself a
 * trusted proxy (proxies append the address they saw; what a client wrote is on the left and not believed).
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());
    /** Literal addresses only: a name would need DNS, which this must never do per request. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = bits / 8;
            for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Parses addresses ({@code 10.0.0.5}) and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}). */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.strip();
            if (e.isEmpty()) continue;
            int slash = e.indexOf('/');
            byte[] address = literal(slash < 0 ? e : e.substring(0, slash));
            int bits = address == null ? -1 : address.length * 8;
            if (address != null && slash >= 0) {
                try {
                    bits = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException nfe) {
                    bits = -1;
                }
            }
            if (address == null || bits < 0 || bits > address.length * 8) {
                throw new ConfigError("api.trusted_proxies: '" + e + "' is not an IP address or CIDR range",
                        "Set SIGIL_API_TRUSTED_PROXIES to addresses or ranges of your proxies, e.g. 10.0.0.0/8,127.0.0.1.");
            }
            ranges.add(new Range(address, bits));
        }
        return new TrustedProxies(ranges);
    }

    public boolean isEmpty() { return ranges.isEmpty(); }

    /** Whether {@code address} (a literal, as the TCP peer or a header entry) is a trusted proxy. */
    public boolean trusts(String address) {
        byte[] a = literal(address);
        if (a == null) return false;
        for (Range r : ranges) if (r.contains(a)) return true;
        return false;
    }

    /** The client of a request from {@code peer} carrying {@code forwardedFor} (may be null). */
    public String client(String peer, String forwardedFor) {
        if (ranges.isEmpty() || forwardedFor == null || !trusts(peer)) return peer;
        String[] hops = forwardedFor.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop) == null) break; // not an address: nothing left of it can be believed
            client = hop;
            if (!trusts(hop)) break;
        }
        return client;
    }

    private static byte[] literal(String text) {
        if (text == null) return null;
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (t.isEmpty() || !LITERAL.matcher(t).matches() || (!t.contains(":") && t.chars().filter(c -> c == '.').count() != 3)) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
