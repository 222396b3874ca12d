package io.wsrouter.jakarta;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells who opens a WebSocket: called once per handshake, before the upgrade, with the HTTP request
 * of the handshake. An empty result refuses the handshake with HTTP 401 (no socket is opened), so the
 * router only ever sees authenticated users.
 *
 * <p>The default, {@link #principal()}, takes the name of the request's {@link Principal}: whatever
 * authenticated the request before it reached the servlet (container security, a servlet filter,
 * Spring Security) decides. Write your own to read a session attribute or verify a token:
 *
 * <pre>{@code
 * UserResolver tokens = request -> Optional.ofNullable(request.getHeader("Authorization"))
 *         .filter(h -> h.startsWith("Bearer "))
 *         .flatMap(h -> tokenService.userOf(h.substring(7)));
 * }</pre>
 *
 * <p><b>Thread safety:</b> called from the container's request threads, concurrently; must be
 * thread-safe. It may block (it runs on a request thread, before the connection exists), but should
 * be quick. An exception refuses the handshake with HTTP 500.
 */
@FunctionalInterface
public interface UserResolver {

    /** User ids the {@linkplain #insecureQueryParameter(String) query-parameter resolver} accepts: 1-64 of {@code [A-Za-z0-9_.@-]}. */
    Pattern QUERY_USER = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    /**
     * Finds the user of a handshake.
     *
     * @param request the handshake request
     * @return the user id, or empty to refuse the handshake (HTTP 401)
     */
    Optional<String> resolve(HttpServletRequest request);

    /** {@return the default: the name of the handshake's authenticated {@link Principal}, if any} */
    static UserResolver principal() {
        return request -> Optional.ofNullable(request.getUserPrincipal()).map(Principal::getName)
                .filter(name -> !name.isBlank());
    }

    /**
     * <b>For demos only:</b> trusts the user id a client writes in the handshake's query string
     * ({@code /ws?user=alice}), when it matches {@link #QUERY_USER}. Anybody can claim to be anybody;
     * never use it where users are real.
     *
     * @param name the query parameter, for example {@code "user"}
     * @return a resolver that reads that parameter
     * @throws NullPointerException when name is null
     */
    static UserResolver insecureQueryParameter(String name) {
        Objects.requireNonNull(name, "name");
        return request -> Optional.ofNullable(request.getParameter(name)).filter(v -> QUERY_USER.matcher(v).matches());
    }
}
