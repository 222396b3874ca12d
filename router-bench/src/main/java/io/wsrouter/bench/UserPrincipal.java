package io.wsrouter.bench;

import java.security.Principal;

/**
 * The authenticated user Spring's session handling needs.
 *
 * @param name the user id
 */
public record UserPrincipal(String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
