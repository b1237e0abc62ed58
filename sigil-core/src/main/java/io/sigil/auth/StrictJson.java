package io.sigil.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The JSON reader for token segments: exactly one object, no duplicate members (two {@code exp} members could be
 * read differently by two parsers), valid UTF-8, nothing after the object.
 */
final class StrictJson {
    private static final ObjectMapper MAPPER = io.sigil.json.JsonFactories.mapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() { }

    static ObjectNode object(byte[] utf8, String what) throws AuthenticationFailed {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new AuthenticationFailed(AuthenticationFailed.Reason.BAD_JSON, what + " is not UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            boolean duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
            throw new AuthenticationFailed(duplicate ? AuthenticationFailed.Reason.DUPLICATE_MEMBER
                    : AuthenticationFailed.Reason.BAD_JSON, what + " is not a valid JSON object");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new AuthenticationFailed(AuthenticationFailed.Reason.BAD_JSON, what + " is not a JSON object");
        }
        return object;
    }
}
