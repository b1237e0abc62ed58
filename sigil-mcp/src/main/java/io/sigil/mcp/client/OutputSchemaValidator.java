package io.sigil.mcp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a tool's structured output against its output schema for the SDK, with the JSON Schema library Sigil
 * already uses (the one the SDK's Jackson 2 module brings needs a major version Sigil's other modules are not on).
 */
public final class OutputSchemaValidator implements JsonSchemaValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        try {
            JsonNode content = structuredContent instanceof String s ? JSON.readTree(s) : JSON.valueToTree(structuredContent);
            Set<ValidationMessage> problems = SCHEMAS.getSchema(JSON.valueToTree(schema)).validate(content);
            if (problems.isEmpty()) return ValidationResponse.asValid(content.toString());
            return ValidationResponse.asInvalid("structured content does not match the output schema: "
                    + problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
        } catch (Exception e) {
            return ValidationResponse.asInvalid("cannot validate structured content: " + e.getMessage());
        }
    }
}
