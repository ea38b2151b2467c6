package dev.switchboard.security;

import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Web origins (RFC 6454) as browsers send them in {@code Origin}: {@code scheme://host[:port]}, scheme {@code http} or
 * {@code https}, nothing else. Each is normalized (scheme and host lower case, the default port written out, an IPv6
 * address in one form) and origins are compared as these exact strings. Anything else does not parse: no path, query,
 * fragment or user info, no {@code null}, no bare host. Parsing is strict so that two different origins can never
 * normalize to the same string.
 */
final class Origins {

    /** The key the allowed origins are read from. */
    static final String KEY = "switchboard.security.allowed-origins";

    /**
     * Its default: no browser origin. Browsers are refused until the application names its site's origins (the demo
     * names its own in liberty-config/server.xml); clients that send no {@code Origin} are not affected.
     */
    static final String DEFAULT = "";

    // A DNS label as browsers allow it in a host: letters, digits, '-' and '_' (legal in internal names).
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_-]{1,63}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    private Origins() {
    }

    /**
     * Parses the allow-list: comma-separated origins, or {@code *} for any.
     *
     * @param setting the value of {@value #KEY}
     * @return the normalized origins, or a set holding only {@code "*"} if any origin is allowed
     * @throws IllegalArgumentException naming the key, the entry and why it is not an origin
     */
    static Set<String> allowList(String setting) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String entry : Arrays.stream(setting.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (entry.equals("*")) {
                allowed.add("*");
                continue;
            }
            try {
                allowed.add(normalizeConfigured(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KEY + " has \"" + entry + "\", which is not an origin: "
                        + e.getMessage() + " (write scheme://host[:port], for example https://example.com:8443)", e);
            }
        }
        return allowed.contains("*") ? Set.of("*") : Set.copyOf(allowed);
    }

    /**
     * An origin from the configuration: a host may be written in Unicode (it is converted to the ASCII form that
     * browsers send).
     */
    static String normalizeConfigured(String origin) {
        int slashes = origin.indexOf("://");
        if (slashes >= 0) {
            int hostEnd = origin.indexOf(':', slashes + 3);
            String host = hostEnd < 0 ? origin.substring(slashes + 3) : origin.substring(slashes + 3, hostEnd);
            if (!host.chars().allMatch(c -> c < 0x80)) {
                String ascii;
                try {
                    ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("host \"" + host + "\" is not a valid internationalized name");
                }
                origin = origin.substring(0, slashes + 3) + ascii + (hostEnd < 0 ? "" : origin.substring(hostEnd));
            }
        }
        return normalize(origin);
    }

    /**
     * An origin as presented in a handshake's {@code Origin} header (ASCII only, as browsers send it).
     *
     * @return {@code scheme://host:port}, lower case, the port always written
     * @throws IllegalArgumentException saying why {@code origin} is not an origin
     */
    static String normalize(String origin) {
        if (origin == null) {
            throw new IllegalArgumentException("no origin");
        }
        for (int i = 0; i < origin.length(); i++) {
            char c = origin.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException(String.format(
                        "U+%04X at index %d: an origin is ASCII without spaces", (int) c, i));
            }
        }
        int slashes = origin.indexOf("://");
        if (slashes < 0) {
            throw new IllegalArgumentException("no scheme:// (a bare host or \"null\" is not an allowed origin)");
        }
        String scheme = origin.substring(0, slashes).toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> throw new IllegalArgumentException("scheme \"" + scheme + "\" is not http or https");
        };
        String authority = origin.substring(slashes + 3).toLowerCase(Locale.ROOT);
        for (char c : new char[] {'/', '?', '#', '@', '\\', '%'}) {
            if (authority.indexOf(c) >= 0) {
                throw new IllegalArgumentException("'" + c + "' after the host: an origin has no path, query, "
                        + "fragment, user info or escapes");
            }
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("IPv6 address without ']'");
            }
            host = ipv6(authority.substring(1, close));
            port = port(authority.substring(close + 1));
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? "" : port(authority.substring(colon));
            hostName(host);
        }
        int number = port.isEmpty() ? defaultPort : Integer.parseInt(port);
        if (number < 1 || number > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        return scheme + "://" + host + ":" + number;
    }

    /** @return {@code value} in quotes for a log line, with anything but printable ASCII as {@code \\uXXXX} */
    static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    // ":digits" or nothing
    private static String port(String rest) {
        if (rest.isEmpty()) {
            return "";
        }
        if (rest.charAt(0) != ':' || !PORT.matcher(rest.substring(1)).matches()) {
            throw new IllegalArgumentException("\"" + rest + "\" after the host is not :port");
        }
        return rest.substring(1);
    }

    private static void hostName(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (host.length() > 253) {
            throw new IllegalArgumentException("host of " + host.length() + " characters, the most is 253");
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("host \"" + host + "\" has the label \"" + label
                        + "\"; a label is 1 to 63 of a-z 0-9 - _");
            }
        }
    }

    // One text per address, whatever the way it was written (zeros, compression).
    private static String ipv6(String address) {
        if (!IPV6.matcher(address).matches()) {
            throw new IllegalArgumentException("\"[" + address + "]\" is not an IPv6 address");
        }
        try {
            // A literal in brackets is parsed, never looked up.
            InetAddress parsed = InetAddress.getByName("[" + address + "]");
            if (!(parsed instanceof Inet6Address)) {
                throw new IllegalArgumentException("\"[" + address + "]\" is not an IPv6 address");
            }
            return "[" + parsed.getHostAddress() + "]";
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"[" + address + "]\" is not an IPv6 address");
        }
    }
}
