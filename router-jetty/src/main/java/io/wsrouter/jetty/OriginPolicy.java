package io.wsrouter.jetty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * Which browser pages may open a socket: the endpoint's own origin, plus an allow-list. Browsers send
 * {@code Origin} on every WebSocket handshake and scripts cannot forge it, so this is the check that
 * stops a page on another site from opening a socket that rides on the victim's cookies. A handshake
 * without {@code Origin} comes from a non-browser client, which has no victim's cookies to ride on,
 * and passes. Immutable, thread-safe.
 */
final class OriginPolicy {

    static final String ANY = "*";

    private final List<String> allowed;
    private final boolean any;

    OriginPolicy(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
        this.any = allowed.contains(ANY);
    }

    boolean allows(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null || any) {
            return true;
        }
        String normal = normalise(origin);
        return normal != null && (normal.equals(ownOrigin(request)) || allowed.contains(normal));
    }

    /** The origin a page served by this server has: the request's scheme, and the host and port it was sent to. */
    static String ownOrigin(Request request) {
        HttpURI uri = request.getHttpURI();
        String scheme = request.isSecure() ? "https" : "http";
        String host = uri.getHost();
        if (host == null) {
            return null;
        }
        return origin(scheme, host, uri.getPort());
    }

    /** @return the origin in canonical form, or {@code null} when it is not {@code http(s)://host[:port]} (for example {@code "null"}) */
    static String normalise(String origin) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        return origin(scheme, uri.getHost(), uri.getPort());
    }

    static String normaliseAllowed(String value) {
        Objects.requireNonNull(value, "origin");
        if (value.equals(ANY)) {
            return ANY;
        }
        String normal = normalise(value);
        if (normal == null) {
            throw new IllegalArgumentException("allowed origin must be '*' or http(s)://host[:port] but was '" + value + "'");
        }
        return normal;
    }

    private static String origin(String scheme, String host, int port) {
        int defaultPort = scheme.equals("https") ? 443 : 80;
        String h = host.toLowerCase(Locale.ROOT);
        return port <= 0 || port == defaultPort ? scheme + "://" + h : scheme + "://" + h + ":" + port;
    }
}
