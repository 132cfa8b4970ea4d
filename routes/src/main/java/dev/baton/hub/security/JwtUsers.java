package dev.baton.hub.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import dev.baton.governance.access.UserEntry;

/**
 * Turns a verified bearer JWT into a user: the name from the configured claim (else {@code sub}),
 * each role of the roles claim as {@code ROLE_<role>}, the authority a Basic user with that role has,
 * so the same rules apply to both.
 */
final class JwtUsers implements Converter<Jwt, AbstractAuthenticationToken> {

    private final String rolesClaim;
    private final String usernameClaim;

    JwtUsers(AccessProperties.Jwt settings) {
        this.rolesClaim = settings.rolesClaim();
        this.usernameClaim = settings.usernameClaim();
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<GrantedAuthority> authorities = roles(jwt.getClaims(), rolesClaim).stream()
                .<GrantedAuthority>map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
        return new JwtAuthenticationToken(jwt, authorities, name(jwt));
    }

    private String name(Jwt jwt) {
        for (String claim : List.of(usernameClaim, JwtClaimNames.SUB)) {
            Object value = jwt.getClaims().get(claim);
            if (value instanceof String s && !s.isBlank()) {
                if (s.length() > UserEntry.MAX_NAME_LENGTH) {
                    throw new InvalidBearerTokenException("The token's user name ('" + claim + "') has " + s.length()
                            + " characters, more than the " + UserEntry.MAX_NAME_LENGTH + " a user name may have");
                }
                return s;
            }
        }
        throw new InvalidBearerTokenException("The token names no user: it has neither '" + usernameClaim
                + "' nor 'sub'");
    }

    /**
     * The roles under {@code path}: a claim of that exact name, else the dotted path into nested
     * objects. A list of strings, or one string separated by spaces or commas; anything else is no role.
     */
    static Set<String> roles(Map<String, Object> claims, String path) {
        Object value = claims.containsKey(path) ? claims.get(path) : walk(claims, path);
        Collection<?> items;
        if (value instanceof Collection<?> list) {
            items = list;
        } else if (value instanceof String text) {
            items = List.of(text.split("[\\s,]+"));
        } else {
            return Set.of();
        }
        List<String> roles = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof String role && !role.isBlank()) {
                roles.add(role.strip());
            }
        }
        return new LinkedHashSet<>(roles);
    }

    private static Object walk(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }
}
