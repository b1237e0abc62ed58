package io.sigil.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sigil.errors.InvalidInputError;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives a {@link Contract} from a Java record (see {@link Contract#fromRecord}): one deliverable per component,
 * named in snake_case, typed from the component's Java type (nested records become objects with fields, enums
 * closed value sets), with rules from Jakarta Bean Validation annotations (read by simple name, so no dependency
 * on the API) and from {@link Describe}. Primitives and annotated {@code @NotNull}/{@code @NotBlank}/{@code
 * @NotEmpty} components are required, as is any other component unless it is an {@link Optional} or annotated
 * {@code @Nullable}: a record expects its values.
 */
final class RecordContracts {
    private RecordContracts() { }

    static Contract fromRecord(Class<? extends Record> type) {
        Contract.Builder contract = Contract.builder(snakeCase(type.getSimpleName()));
        Describe describe = type.getAnnotation(Describe.class);
        if (describe != null) contract.description(describe.value());
        for (Deliverable d : fields(type, new HashSet<>())) contract.deliverable(d);
        return contract.build();
    }

    private static List<Deliverable> fields(Class<?> record, Set<Class<?>> path) {
        if (!path.add(record)) {
            throw new InvalidInputError("Record " + record.getName() + " contains itself",
                    "Contract.fromRecord needs a tree of records; break the cycle with a Map or a String field.");
        }
        List<Deliverable> out = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) out.add(deliverable(c, path));
        path.remove(record);
        return out;
    }

    private static Deliverable deliverable(RecordComponent c, Set<Class<?>> path) {
        Type type = c.getGenericType();
        boolean optional = c.getType() == Optional.class;
        if (optional) type = typeArgument(type, 0, c);
        Deliverable.Builder b = Deliverable.builder(snakeCase(c.getName()), typeSpec(type, c));
        Class<?> raw = raw(type);
        if (raw.isEnum()) for (Object constant : raw.getEnumConstants()) b.allowedValues(((Enum<?>) constant).name());
        Class<?> objectType = innermostRecord(type);
        if (objectType != null) for (Deliverable f : fields(objectType, path)) b.field(f);
        boolean required = !optional && (c.getType().isPrimitive() || !has(c, "Nullable"));
        b.required(required);
        Describe describe = annotation(c, Describe.class);
        if (describe != null) {
            b.description(describe.value());
            for (String rule : describe.rules()) b.rule(rule);
            if (!describe.example().isBlank()) b.example(parseExample(describe.example(), c));
        }
        beanValidationRules(c, b);
        return b.build();
    }

    /** {@code @Min}, {@code @Max}, {@code @Size}, {@code @NotBlank}... as rules on {@code value}. */
    private static void beanValidationRules(RecordComponent c, Deliverable.Builder b) {
        for (Annotation a : annotations(c)) {
            String name = a.annotationType().getSimpleName();
            switch (name) {
                case "Min", "DecimalMin" -> b.rule("value " + (inclusive(a) ? ">=" : ">") + " " + number(attribute(a, "value")));
                case "Max", "DecimalMax" -> b.rule("value " + (inclusive(a) ? "<=" : "<") + " " + number(attribute(a, "value")));
                case "Positive" -> b.rule("value > 0");
                case "PositiveOrZero" -> b.rule("value >= 0");
                case "Negative" -> b.rule("value < 0");
                case "NegativeOrZero" -> b.rule("value <= 0");
                case "NotBlank" -> b.rule("matches(value, '\\S')");
                case "NotEmpty" -> b.rule("len(value) > 0");
                case "Size" -> {
                    int min = ((Number) attribute(a, "min")).intValue();
                    int max = ((Number) attribute(a, "max")).intValue();
                    if (min > 0) b.rule("len(value) >= " + min);
                    if (max < Integer.MAX_VALUE) b.rule("len(value) <= " + max);
                }
                case "Pattern" -> {
                    String regex = (String) attribute(a, "regexp");
                    String literal = regex.replace("\\", "\\\\").replace("'", "\\'"); // the rule language's escapes
                    b.rule("matches(value, '^(?:" + literal + ")$')");
                }
                default -> { } // other annotations say nothing about the output
            }
        }
    }

    private static TypeSpec typeSpec(Type type, RecordComponent c) {
        Class<?> raw = raw(type);
        if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class || raw == Integer.class
                || raw == Long.class || raw == Short.class || raw == Byte.class || raw == BigInteger.class) {
            return TypeSpec.INT;
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class) {
            return TypeSpec.FLOAT;
        }
        if (raw == boolean.class || raw == Boolean.class) return TypeSpec.BOOL;
        if (raw == String.class || raw == char.class || raw == Character.class || raw.isEnum()) return TypeSpec.STR;
        if (raw.isRecord()) return TypeSpec.DICT;
        if (Collection.class.isAssignableFrom(raw)) return new TypeSpec.ListOf(typeSpec(typeArgument(type, 0, c), c));
        if (raw.isArray()) return new TypeSpec.ListOf(typeSpec(raw.getComponentType(), c));
        if (Map.class.isAssignableFrom(raw)) {
            if (raw(typeArgument(type, 0, c)) != String.class) {
                throw new InvalidInputError("Map keys of " + where(c) + " are not String",
                        "JSON object keys are strings: use Map<String, V>.");
            }
            return new TypeSpec.DictOf(TypeSpec.STR, typeSpec(typeArgument(type, 1, c), c));
        }
        if (raw == Object.class || com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(raw)) return TypeSpec.ANY;
        throw new InvalidInputError("No contract type for " + where(c) + " (" + type.getTypeName() + ")",
                "Use numbers, String, boolean, enums, records, List/Set, arrays or Map<String, V>.");
    }

    /** The record whose components describe the objects of {@code type} (itself, or its elements/values). */
    private static Class<?> innermostRecord(Type type) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) return raw;
        if (raw.isArray()) return innermostRecord(raw.getComponentType());
        if (type instanceof ParameterizedType p && (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw))) {
            Type[] args = p.getActualTypeArguments();
            return innermostRecord(args[args.length - 1]);
        }
        return null;
    }

    private static Type typeArgument(Type type, int index, RecordComponent c) {
        if (type instanceof ParameterizedType p) return p.getActualTypeArguments()[index];
        throw new InvalidInputError(where(c) + " is a raw " + raw(type).getSimpleName(),
                "Give it type arguments, e.g. List<String>.");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> k) return k;
        if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        return Object.class; // wildcards and type variables: any value
    }

    private static com.fasterxml.jackson.databind.JsonNode parseExample(String json, RecordComponent c) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputError("@Describe example of " + where(c) + " is not JSON: " + json,
                    "Write it as a JSON literal: 72, true, \"text\" (with the quotes), {\"k\": 1}.");
        }
    }

    /**
     * Annotations on the component, its accessor and its field (Bean Validation targets any of them), each once:
     * an annotation without {@code @Target} is propagated to all three.
     */
    private static List<Annotation> annotations(RecordComponent c) {
        List<Annotation> out = new ArrayList<>(List.of(c.getAnnotations()));
        out.addAll(List.of(c.getAccessor().getAnnotations()));
        try {
            out.addAll(List.of(c.getDeclaringRecord().getDeclaredField(c.getName()).getAnnotations()));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("A record component without its field: " + where(c), e);
        }
        return out.stream().distinct().toList();
    }

    private static <A extends Annotation> A annotation(RecordComponent c, Class<A> type) {
        for (AnnotatedElement e : List.<AnnotatedElement>of(c, c.getAccessor())) {
            A a = e.getAnnotation(type);
            if (a != null) return a;
        }
        return null;
    }

    private static boolean has(RecordComponent c, String simpleName) {
        return annotations(c).stream().anyMatch(a -> a.annotationType().getSimpleName().equals(simpleName));
    }

    private static boolean inclusive(Annotation a) {
        try {
            return (Boolean) attribute(a, "inclusive");
        } catch (IllegalArgumentException e) {
            return true; // @Min and @Max have no 'inclusive': they are inclusive
        }
    }

    private static Object attribute(Annotation a, String name) {
        try {
            return a.annotationType().getMethod(name).invoke(a);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("@" + a.annotationType().getSimpleName() + " has no " + name, e);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read @" + a.annotationType().getSimpleName() + "." + name, e);
        }
    }

    private static String number(Object value) {
        String text = String.valueOf(value).strip();
        try {
            return new BigDecimal(text).toPlainString();
        } catch (NumberFormatException e) {
            throw new InvalidInputError("Not a number in a bound annotation: " + text, "Write the bound as a number.");
        }
    }

    private static String where(RecordComponent c) { return c.getDeclaringRecord().getSimpleName() + "." + c.getName(); }

    /** {@code recommendedAction} → {@code recommended_action}, {@code LeadQualification} → {@code lead_qualification}. */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (Character.isUpperCase(ch)) {
                boolean boundary = i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1))
                        || (i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))));
                if (boundary && out.charAt(out.length() - 1) != '_') out.append('_');
                out.append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
