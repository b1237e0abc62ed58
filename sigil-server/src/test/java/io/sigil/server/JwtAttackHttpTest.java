package io.sigil.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT attack list of issue 9, each sent to a scoped endpoint over real HTTP: every one must get the same
 * 401, no token text may reach the logs, and key-reference headers must not cause any outbound fetch.
 */
class JwtAttackHttpTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] SECRET = TestServer.SECRET.getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static TestServer server;
    static TestServer strictServer;
    static HttpServer keyHost;
    static final AtomicInteger keyHostHits = new AtomicInteger();
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir.resolve("a"), TestServer.Options.defaults(), TestEndpoints.all());
        strictServer = new TestServer(dir.resolve("b"), TestServer.Options.defaults().issuerAudience("https://issuer.sigil", "sigil-api"),
                TestEndpoints.all());
        keyHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keyHost.createContext("/", exchange -> {
            keyHostHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        keyHost.start();
        Logger root = (Logger) LoggerFactory.getLogger("io.sigil");
        root.setLevel(Level.INFO);
        root.setAdditive(false); // captured, not printed
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
    }

    @AfterAll
    static void stop() {
        Logger root = (Logger) LoggerFactory.getLogger("io.sigil");
        root.detachAppender(logs);
        root.setLevel(null);
        root.setAdditive(true);
        server.close();
        strictServer.close();
        keyHost.stop(0);
    }

    // ---- token construction ----

    static long now() { return Instant.now().getEpochSecond(); }

    static String header(String alg) { return "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}"; }

    static String claims(long exp) {
        return "{\"sub\":\"mallory\",\"scopes\":[\"admin\"],\"iat\":" + now() + ",\"exp\":" + exp + "}";
    }

    static String validClaims() { return claims(now() + 300); }

    static String b64(String json) { return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8)); }

    static String hmac(String alg, byte[] key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(key, alg));
            return B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String signed(String headerJson, String claimsJson, String macAlg, byte[] key) {
        String input = b64(headerJson) + "." + b64(claimsJson);
        return input + "." + hmac(macAlg, key, input);
    }

    static String hs256(String headerJson, String claimsJson) {
        return signed(headerJson, claimsJson, "HmacSHA256", SECRET);
    }

    static String asymmetric(String alg, String keyAlg, String sigAlg, java.security.spec.AlgorithmParameterSpec spec) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlg);
        if (spec != null) g.initialize(spec); else g.initialize(2048);
        var pair = g.generateKeyPair();
        String input = b64(header(alg)) + "." + b64(validClaims());
        Signature s = Signature.getInstance(sigAlg);
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }

    private static HttpResponse<String> call(TestServer s, String token) {
        return s.getWithBearer("/test/items", token);
    }

    // ---- positive controls: the attack list means something only if good tokens pass ----

    @Test
    void validTokensAreAccepted() {
        assertThat(call(server, hs256(header("HS256"), validClaims())).statusCode()).isEqualTo(200);
        assertThat(call(server, server.token(Scope.AGENTS_READ)).statusCode()).isEqualTo(200);
        assertThat(call(server, hs256("{\"alg\":\"HS256\"}", claims(now() - 10))).statusCode())
                .as("expired 10 s ago is inside the 30 s leeway").isEqualTo(200);
        assertThat(call(server, hs256(header("HS256"), "{\"sub\":\"a\",\"scope\":\"agents:read\",\"exp\":" + (now() + 60) + "}"))
                .statusCode()).isEqualTo(200);
        assertThat(call(strictServer, strictServer.token(Scope.AGENTS_READ)).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensMintedByAnIndependentLibraryAreAccepted() {
        String jjwt = Jwts.builder().subject("interop").claim("scopes", List.of("agents:read"))
                .issuedAt(new Date()).expiration(new Date(System.currentTimeMillis() + 60_000))
                .signWith(Keys.hmacShaKeyFor(SECRET), Jwts.SIG.HS256).compact();
        assertThat(call(server, jjwt).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAttackGetsTheSameUnauthorizedResponse() throws Exception {
        String valid = hs256(header("HS256"), validClaims());
        String[] parts = valid.split("\\.");
        String validSig = parts[2];
        Map<String, String> attacks = new LinkedHashMap<>();

        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            attacks.put("alg " + none + ", no signature", b64(header(none)) + "." + b64(validClaims()) + ".");
            attacks.put("alg " + none + ", borrowed signature", b64(header(none)) + "." + b64(validClaims()) + "." + validSig);
            attacks.put("alg " + none + ", two segments", b64(header(none)) + "." + b64(validClaims()));
        }
        attacks.put("stripped signature", parts[0] + "." + parts[1] + ".");
        attacks.put("truncated signature", parts[0] + "." + parts[1] + "." + validSig.substring(0, validSig.length() - 4));
        char flipped = validSig.charAt(5) == 'A' ? 'B' : 'A';
        attacks.put("tampered signature", parts[0] + "." + parts[1] + "." + validSig.substring(0, 5) + flipped + validSig.substring(6));
        attacks.put("tampered payload", parts[0] + "." + b64(claims(now() + 999_999)) + "." + validSig);
        attacks.put("HS384 with the server secret", signed(header("HS384"), validClaims(), "HmacSHA384", SECRET));
        attacks.put("HS512 with the server secret", signed(header("HS512"), validClaims(), "HmacSHA512", SECRET));
        attacks.put("HS256 label, HS512 MAC", signed(header("HS256"), validClaims(), "HmacSHA512", SECRET));
        attacks.put("RS256", asymmetric("RS256", "RSA", "SHA256withRSA", null));
        attacks.put("ES256", asymmetric("ES256", "EC", "SHA256withECDSAinP1363Format", new ECGenParameterSpec("secp256r1")));
        attacks.put("alg hs256 lower case", hs256(header("hs256"), validClaims()));
        attacks.put("alg missing", hs256("{\"typ\":\"JWT\"}", validClaims()));
        attacks.put("alg as array", hs256("{\"alg\":[\"HS256\"]}", validClaims()));

        String keyHostUrl = "http://127.0.0.1:" + keyHost.getAddress().getPort();
        byte[] attackerKey = "attacker-chosen-key-attacker-chosen-key".getBytes(StandardCharsets.UTF_8);
        String jwk = "{\"kty\":\"oct\",\"k\":\"" + B64.encodeToString(attackerKey) + "\"}";
        attacks.put("embedded jwk, attacker key", signed("{\"alg\":\"HS256\",\"jwk\":" + jwk + "}", validClaims(), "HmacSHA256", attackerKey));
        attacks.put("jku, attacker key", signed("{\"alg\":\"HS256\",\"jku\":\"" + keyHostUrl + "/jwks.json\"}", validClaims(), "HmacSHA256", attackerKey));
        attacks.put("x5u, attacker key", signed("{\"alg\":\"HS256\",\"x5u\":\"" + keyHostUrl + "/cert.pem\"}", validClaims(), "HmacSHA256", attackerKey));
        attacks.put("jku, server key", hs256("{\"alg\":\"HS256\",\"jku\":\"" + keyHostUrl + "/jwks.json\"}", validClaims()));
        attacks.put("x5c, server key", hs256("{\"alg\":\"HS256\",\"x5c\":[\"MIIB\"]}", validClaims()));
        attacks.put("crit header", hs256("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", validClaims()));
        for (String kid : List.of("../../../../../../dev/null", "' OR '1'='1", "x' UNION SELECT 'key", "|/bin/echo key",
                "${jndi:ldap://127.0.0.1/a}", "/proc/self/environ", "\u0000")) {
            attacks.put("kid " + kid + ", empty-file key", signed("{\"alg\":\"HS256\",\"kid\":" + TestServer.JSON.writeValueAsString(kid) + "}",
                    validClaims(), "HmacSHA256", new byte[] {0}));
            attacks.put("kid " + kid + ", guessable key", signed("{\"alg\":\"HS256\",\"kid\":" + TestServer.JSON.writeValueAsString(kid) + "}",
                    validClaims(), "HmacSHA256", "key".getBytes(StandardCharsets.UTF_8)));
        }
        attacks.put("expired beyond leeway", hs256(header("HS256"), claims(now() - 120)));
        attacks.put("nbf in the future", hs256(header("HS256"), "{\"sub\":\"m\",\"exp\":" + (now() + 600) + ",\"nbf\":" + (now() + 300) + "}"));
        attacks.put("iat in the future", hs256(header("HS256"), "{\"sub\":\"m\",\"exp\":" + (now() + 600) + ",\"iat\":" + (now() + 300) + "}"));
        attacks.put("exp missing", hs256(header("HS256"), "{\"sub\":\"m\",\"scopes\":[\"admin\"]}"));
        attacks.put("sub missing", hs256(header("HS256"), "{\"exp\":" + (now() + 60) + ",\"scopes\":[\"admin\"]}"));
        for (String exp : List.of("\"" + (now() + 600) + "\"", "true", "null", "[" + (now() + 600) + "]", "{\"v\":1}")) {
            attacks.put("exp typed " + exp, hs256(header("HS256"), "{\"sub\":\"m\",\"exp\":" + exp + "}"));
        }
        attacks.put("nbf typed as string", hs256(header("HS256"), "{\"sub\":\"m\",\"exp\":" + (now() + 60) + ",\"nbf\":\"0\"}"));
        attacks.put("one segment", parts[0]);
        attacks.put("two segments", parts[0] + "." + parts[1]);
        attacks.put("four segments", valid + "." + parts[2]);
        attacks.put("five segments (JWE shape)", parts[0] + ".." + parts[1] + "." + parts[2] + "." + parts[2]);
        attacks.put("empty header segment", "." + parts[1] + "." + parts[2]);
        attacks.put("padding", parts[0] + "=." + parts[1] + "." + validSig);
        attacks.put("standard base64 alphabet", parts[0] + "." + parts[1].replace('-', '+').replace('_', '/') + "x/+." + validSig);
        attacks.put("non-canonical base64", parts[0] + "." + parts[1] + "." + validSig.substring(0, validSig.length() - 1)
                + (validSig.endsWith("A") ? "B" : "A"));
        attacks.put("whitespace inside", parts[0] + ". " + parts[1] + "." + validSig);
        attacks.put("header not JSON", hs256("alg=HS256", validClaims()));
        attacks.put("payload not JSON", hs256(header("HS256"), "sub=mallory"));
        attacks.put("payload JSON array", hs256(header("HS256"), "[" + validClaims() + "]"));
        attacks.put("payload JSON string", hs256(header("HS256"), "\"" + validClaims().replace("\"", "'") + "\""));
        attacks.put("payload with trailing data", hs256(header("HS256"), validClaims() + "{}"));
        attacks.put("payload not UTF-8", b64(header("HS256")) + "." + B64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe})
                + "." + hmac("HmacSHA256", SECRET, b64(header("HS256")) + "." + B64.encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe})));
        attacks.put("duplicate exp claim", hs256(header("HS256"),
                "{\"sub\":\"m\",\"exp\":1,\"exp\":" + (now() + 600) + ",\"scopes\":[\"admin\"]}"));
        attacks.put("duplicate sub claim", hs256(header("HS256"),
                "{\"sub\":\"a\",\"sub\":\"admin\",\"exp\":" + (now() + 600) + "}"));
        attacks.put("duplicate alg header", hs256("{\"alg\":\"HS256\",\"alg\":\"none\"}", validClaims()));
        String padding = "x".repeat(9000);
        attacks.put("oversized but correctly signed", hs256(header("HS256"),
                "{\"sub\":\"m\",\"exp\":" + (now() + 600) + ",\"pad\":\"" + padding + "\"}"));
        attacks.put("empty token", "");
        attacks.put("signed with an empty-string-derived key", signed(header("HS256"), validClaims(), "HmacSHA256", new byte[] {0}));

        JsonNode firstBody = null;
        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            HttpResponse<String> r = call(server, attack.getValue());
            assertThat(r.statusCode()).as(attack.getKey()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(attack.getKey()).hasValue("Bearer");
            ObjectNode body = (ObjectNode) TestServer.json(r);
            body.remove("request_id");
            if (firstBody == null) firstBody = body;
            assertThat(body).as(attack.getKey() + ": one uniform body").isEqualTo(firstBody);
        }
        assertThat(attacks).hasSizeGreaterThan(60);
        assertThat(keyHostHits.get()).as("no key was fetched from jku/x5u").isZero();

        for (ILoggingEvent event : logs.list) {
            String line = event.getFormattedMessage();
            for (String token : attacks.values()) {
                String[] segments = token.split("\\.");
                for (String segment : segments) {
                    if (segment.length() >= 16) assertThat(line).as("a log line quoted a token").doesNotContain(segment);
                }
            }
        }
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("Authentication failed"));
    }

    @Test
    void issuerAndAudienceAreEnforcedWhenConfigured() {
        long exp = now() + 300;
        Map<String, String> wrong = Map.of(
                "wrong iss", "{\"sub\":\"m\",\"exp\":" + exp + ",\"iss\":\"https://evil\",\"aud\":\"sigil-api\",\"scopes\":[\"admin\"]}",
                "missing iss", "{\"sub\":\"m\",\"exp\":" + exp + ",\"aud\":\"sigil-api\",\"scopes\":[\"admin\"]}",
                "wrong aud", "{\"sub\":\"m\",\"exp\":" + exp + ",\"iss\":\"https://issuer.sigil\",\"aud\":\"other\",\"scopes\":[\"admin\"]}",
                "aud array without us", "{\"sub\":\"m\",\"exp\":" + exp + ",\"iss\":\"https://issuer.sigil\",\"aud\":[\"a\",\"b\"],\"scopes\":[\"admin\"]}",
                "missing aud", "{\"sub\":\"m\",\"exp\":" + exp + ",\"iss\":\"https://issuer.sigil\",\"scopes\":[\"admin\"]}");
        wrong.forEach((name, claims) ->
                assertThat(call(strictServer, hs256(header("HS256"), claims)).statusCode()).as(name).isEqualTo(401));
        String audArray = "{\"sub\":\"m\",\"exp\":" + exp + ",\"iss\":\"https://issuer.sigil\",\"aud\":[\"x\",\"sigil-api\"],\"scopes\":[\"agents:read\"]}";
        assertThat(call(strictServer, hs256(header("HS256"), audArray)).statusCode()).isEqualTo(200);
    }

    @Test
    void otherCredentialShapesAreRefusedTheSameWay() {
        String valid = server.token(Scope.AGENTS_READ);
        assertThat(server.get("/test/items").statusCode()).isEqualTo(401);
        assertThat(server.get("/test/items", "Authorization", "Basic dXNlcjpwYXNz").statusCode()).isEqualTo(401);
        assertThat(server.get("/test/items", "Authorization", valid).statusCode()).as("token without scheme").isEqualTo(401);
        assertThat(server.get("/test/items", "Authorization", "Bearer ").statusCode()).isEqualTo(401);
        assertThat(server.get("/test/items", "Authorization", "Bearer " + valid, "X-API-Key", "sgk_x").statusCode())
                .as("two credentials at once").isEqualTo(401);
        assertThat(server.get("/test/items", "Authorization", "bearer " + valid).statusCode()).isEqualTo(200);
    }
}
