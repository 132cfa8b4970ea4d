package dev.baton.hub.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID provider as far as a resource server sees one: its discovery document at
 * {@code /.well-known/openid-configuration} and its public keys at {@code /jwks}, over real HTTP on a
 * loopback port; signs tokens with an RSA key made for the test.
 */
public final class TokenIssuer implements AutoCloseable {

    private static final String KEY_ID = "baton-test-key";

    private final HttpServer server;
    private final RSAKey key;

    private TokenIssuer(HttpServer server, RSAKey key) {
        this.server = server;
        this.key = key;
    }

    public static TokenIssuer start() {
        try {
            RSAKey key = newKey();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TokenIssuer issuer = new TokenIssuer(server, key);
            server.createContext("/.well-known/openid-configuration", e -> issuer.answer(e, """
                    {"issuer": "%1$s", "jwks_uri": "%1$s/jwks", "subject_types_supported": ["public"],
                     "id_token_signing_alg_values_supported": ["RS256"], "response_types_supported": ["code"]}
                    """.formatted(issuer.url())));
            server.createContext("/jwks", e -> issuer.answer(e, new JWKSet(key.toPublicJWK()).toString()));
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer URL, as {@code issuer-uri} is configured and as tokens carry it in {@code iss}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A token valid for 5 minutes with these claims (besides iss, iat, exp, jti). */
    public String token(Map<String, Object> claims) {
        return sign(key, claims, Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** A token that expired 10 minutes ago (beyond any clock skew allowed). */
    public String expiredToken(Map<String, Object> claims) {
        return sign(key, claims, Instant.now().minus(Duration.ofMinutes(10)));
    }

    /** A token like {@link #token} with this issuer's key id, but signed by another key. */
    public String forgedToken(Map<String, Object> claims) {
        return sign(newKey(), claims, Instant.now().plus(Duration.ofMinutes(5)));
    }

    private String sign(RSAKey with, Map<String, Object> claims, Instant expires) {
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().issuer(url()).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(expires.minus(Duration.ofMinutes(5)))).expirationTime(Date.from(expires));
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), set.build());
        try {
            jwt.sign(new RSASSASigner(with));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
