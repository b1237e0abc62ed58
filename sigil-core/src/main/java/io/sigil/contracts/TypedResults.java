package io.sigil.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sigil.errors.InvalidInputError;

import java.io.IOException;
import java.util.Map;

/**
 * Binds a contract's output to a Java type ({@link ContractResult#as}): snake_case output names to camelCase
 * record components and bean properties, as {@link Contract#fromRecord} derives them. Output members the type does
 * not declare are ignored (a contract may ask for more than one type reads).
 */
final class TypedResults {
    /** Configured once, never changed: thread-safe. */
    private static final ObjectMapper SNAKE_CASE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new Jdk8Module()).addModule(new JavaTimeModule())
            .build();

    private TypedResults() { }

    static <T> T bind(String contract, JsonNode output, Class<T> type) {
        if (output == null || output.isNull()) {
            throw new InvalidInputError("Contract '" + contract + "' produced no output to bind to " + type.getSimpleName(),
                    "Check result.valid() (or the outcome) before binding.");
        }
        try {
            return SNAKE_CASE.treeToValue(output, type);
        } catch (MismatchedInputException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("(root)");
            throw new InvalidInputError("The output of contract '" + contract + "' does not fit " + type.getSimpleName()
                    + " at " + path + ": " + e.getOriginalMessage(),
                    "Derive the contract from the type (Contract.fromRecord(" + type.getSimpleName()
                            + ".class)) so that output and type agree.", Map.of("contract", contract, "path", path), false, e);
        } catch (IOException e) {
            throw new InvalidInputError("The output of contract '" + contract + "' cannot be bound to " + type.getSimpleName()
                    + ": " + e.getMessage(), "Bind to a record or a class with a default constructor.",
                    Map.of("contract", contract), false, e);
        }
    }
}
