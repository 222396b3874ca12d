package io.wsrouter.spring;

import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Tells who opens a WebSocket: called once per handshake, before the upgrade. An empty result refuses
 * the handshake with HTTP 401 (no socket is opened).
 *
 * <p>The default, {@link #principal()}, takes the name of the handshake's {@link Principal}: with
 * Spring Security, the authenticated user of the HTTP session or token. In a Boot app, declare a bean
 * of this type to replace it:
 *
 * <pre>{@code
 * @Bean
 * UserResolver wsrouterUserResolver(TokenService tokens) {
 *     return request -> Optional.ofNullable(request.getHeaders().getFirst("Authorization")).flatMap(tokens::userOf);
 * }
 * }</pre>
 *
 * <p><b>Thread safety:</b> called from the container's request threads, concurrently.
 */
@FunctionalInterface
public interface UserResolver {

    /**
     * Finds the user of a handshake.
     *
     * @param request the handshake request
     * @return the user id, or empty to refuse the handshake (HTTP 401)
     */
    Optional<String> resolve(ServerHttpRequest request);

    /** {@return the default: the name of the handshake's authenticated {@link Principal}, if any} */
    static UserResolver principal() {
        return request -> Optional.ofNullable(request.getPrincipal()).map(Principal::getName).filter(name -> !name.isBlank());
    }

    /**
     * <b>For demos only:</b> trusts the user id written in the handshake's query string
     * ({@code /ws?user=alice}) when it matches {@link io.wsrouter.jakarta.UserResolver#QUERY_USER}.
     * Anybody can claim to be anybody.
     *
     * @param name the query parameter, for example {@code "user"}
     * @return the resolver
     * @throws NullPointerException when name is null
     */
    static UserResolver insecureQueryParameter(String name) {
        Objects.requireNonNull(name, "name");
        return request -> Optional.ofNullable(UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst(name))
                .filter(v -> io.wsrouter.jakarta.UserResolver.QUERY_USER.matcher(v).matches());
    }
}
