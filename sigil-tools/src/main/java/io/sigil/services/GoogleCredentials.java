package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.errors.ConfigError;
import io.sigil.errors.ToolError;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google service account ({@code GOOGLE_CALENDAR_CREDENTIALS}: the path of its JSON key file, or the JSON
 * itself) and the access tokens it gets with the OAuth 2.0 JWT bearer grant: a JWT signed with the account's RSA
 * key (RS256) posted to its {@code token_uri}. A token is reused until a minute before it expires.
 */
final class GoogleCredentials {
    static final String SCOPE = "https://www.googleapis.com/auth/calendar";

    private final String clientEmail;
    private final PrivateKey key;
    private final String tokenUri;
    private final String subject;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.EPOCH;

    private GoogleCredentials(String clientEmail, PrivateKey key, String tokenUri, String subject, Clock clock) {
        this.clientEmail = clientEmail;
        this.key = key;
        this.tokenUri = tokenUri;
        this.subject = subject;
        this.clock = clock;
    }

    /** @throws ConfigError naming what is wrong with the credentials (never their content) */
    static GoogleCredentials parse(String setting, Clock clock) {
        String text = setting.strip();
        if (!text.startsWith("{")) {
            try {
                text = Files.readString(Path.of(text));
            } catch (IOException | java.nio.file.InvalidPathException e) {
                throw new ConfigError("GOOGLE_CALENDAR_CREDENTIALS: cannot read the key file " + setting
                        + " (" + e.getClass().getSimpleName() + ")",
                        "Set it to the path of a service account's JSON key file, or to the JSON itself.");
            }
        }
        JsonNode n;
        try {
            n = ServiceHttp.JSON.readTree(text);
        } catch (IOException e) {
            throw new ConfigError("GOOGLE_CALENDAR_CREDENTIALS is not JSON",
                    "Use a service account's JSON key file (Google Cloud console, IAM, service accounts, keys).");
        }
        if (!"service_account".equals(n.path("type").asText()) || !n.path("client_email").isTextual()
                || !n.path("private_key").isTextual()) {
            throw new ConfigError("GOOGLE_CALENDAR_CREDENTIALS is not a service account key (type service_account"
                    + " with client_email and private_key)",
                    "Create a service account key, share the calendar with its client_email, and point the setting at it.");
        }
        String pem = n.path("private_key").asText().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new ConfigError("GOOGLE_CALENDAR_CREDENTIALS: private_key is not a PKCS#8 RSA key",
                    "Use the key file exactly as Google issued it.");
        }
        String tokenUri = n.path("token_uri").asText("https://oauth2.googleapis.com/token");
        String subject = n.path("subject").isTextual() ? n.path("subject").asText() : null;
        return new GoogleCredentials(n.path("client_email").asText(), key, tokenUri, subject, clock);
    }

    /** A valid access token, fetched again when the cached one is about to expire. */
    synchronized String accessToken(ServiceHttp http) {
        Instant now = clock.instant();
        if (token != null && now.isBefore(expires.minusSeconds(60))) return token;
        String assertion = jwt(now);
        JsonNode r = http.send(http.request(tokenUri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(ServiceHttp.form(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "assertion", assertion))).build());
        if (!r.path("access_token").isTextual()) throw new ToolError("Google's token endpoint answered without a token");
        token = r.path("access_token").asText();
        expires = now.plusSeconds(r.path("expires_in").asLong(3600));
        return token;
    }

    private String jwt(Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", clientEmail);
        claims.put("scope", SCOPE);
        claims.put("aud", tokenUri);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.getEpochSecond() + 3600);
        if (subject != null) claims.put("sub", subject);
        try {
            String signingInput = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + b64.encodeToString(ServiceHttp.JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new ToolError("cannot sign the Google token request: " + e.getMessage());
        }
    }

    static HttpRequest.Builder bearer(HttpRequest.Builder b, String token) {
        return b.header("Authorization", "Bearer " + token);
    }
}
