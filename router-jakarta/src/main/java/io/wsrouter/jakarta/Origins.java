package io.wsrouter.jakarta;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Origin check of the handshake: the endpoint's own origin (the Origin's scheme, host and port are
 * those of the request's Host header) is always allowed, and so are the listed ones; {@code "*"}
 * allows any origin (as router-jetty's and Spring's checks do). A handshake
 * without an Origin header (not a browser: browsers always send it on WebSocket handshakes) passes,
 * because cross-site WebSocket hijacking needs a browser carrying a victim's cookies.
 */
final class Origins {

    private final Set<String> allowed;
    private final boolean any;

    Origins(List<String> allowed) {
        this.any = allowed.contains("*");
        this.allowed = allowed.stream().map(Origins::normalise).collect(Collectors.toUnmodifiableSet());
    }

    boolean permits(String origin, boolean secure, String host) {
        if (origin == null || any) {
            return true;
        }
        String normalised = normalise(origin);
        if (allowed.contains(normalised)) {
            return true;
        }
        return host != null && normalised.equals(normalise((secure ? "https://" : "http://") + host));
    }

    /** scheme://host:port in lower case with the default port made explicit; the input when unparseable. */
    static String normalise(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if (port < 0) {
                port = "https".equals(scheme) || "wss".equals(scheme) ? 443 : 80;
            }
            return scheme + "://" + host + ":" + port;
        } catch (IllegalArgumentException e) {
            return origin;
        }
    }
}
