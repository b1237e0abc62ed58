package io.sigil.contracts;

/**
 * The type of a deliverable: a base type ({@code int, float, str, bool, dict, list, any}) or a parameterised one
 * ({@code list[str]}, {@code dict[str,int]}, nested like {@code list[dict[str,float]]}) checked element by element.
 */
public sealed interface TypeSpec {

    enum Base { INT, FLOAT, STR, BOOL, DICT, LIST, ANY }

    /** A base type; {@code dict} and {@code list} here accept any contents. */
    record Simple(Base base) implements TypeSpec {
        @Override
        public String toString() { return base.name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** {@code list[element]}. */
    record ListOf(TypeSpec element) implements TypeSpec {
        @Override
        public String toString() { return "list[" + element + "]"; }
    }

    /** {@code dict[key,value]}; keys are JSON object keys, so {@code key} is {@code str} or {@code int}. */
    record DictOf(TypeSpec key, TypeSpec value) implements TypeSpec {
        @Override
        public String toString() { return "dict[" + key + "," + value + "]"; }
    }

    TypeSpec INT = new Simple(Base.INT);
    TypeSpec FLOAT = new Simple(Base.FLOAT);
    TypeSpec STR = new Simple(Base.STR);
    TypeSpec BOOL = new Simple(Base.BOOL);
    TypeSpec DICT = new Simple(Base.DICT);
    TypeSpec LIST = new Simple(Base.LIST);
    TypeSpec ANY = new Simple(Base.ANY);

    /** Whether values of this type are JSON objects (so nested {@code fields} can apply to them). */
    default boolean isObject() {
        return this instanceof DictOf || (this instanceof Simple s && s.base() == Base.DICT);
    }

    /**
     * Parses a type expression. Aliases of the original's Python names are accepted ({@code integer, number,
     * string, boolean, object, array}). Errors say what was expected and where.
     */
    static TypeSpec parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("type is empty");
        TypeParser p = new TypeParser(text.replace(" ", ""));
        TypeSpec t = p.type();
        if (!p.atEnd()) throw new IllegalArgumentException("unexpected '" + p.rest() + "' in type '" + text + "'");
        return t;
    }

    final class TypeParser {
        private final String s;
        private int pos;

        private TypeParser(String s) { this.s = s; }

        boolean atEnd() { return pos == s.length(); }

        String rest() { return s.substring(pos); }

        TypeSpec type() {
            int start = pos;
            while (pos < s.length() && Character.isLetter(s.charAt(pos))) pos++;
            String name = s.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
            Base base = switch (name) {
                case "int", "integer" -> Base.INT;
                case "float", "number" -> Base.FLOAT;
                case "str", "string" -> Base.STR;
                case "bool", "boolean" -> Base.BOOL;
                case "dict", "object" -> Base.DICT;
                case "list", "array" -> Base.LIST;
                case "any" -> Base.ANY;
                default -> throw new IllegalArgumentException("unknown type '" + (name.isEmpty() ? rest() : name)
                        + "'; use int, float, str, bool, dict, list, any, list[T] or dict[str,T]");
            };
            if (pos >= s.length() || s.charAt(pos) != '[') return new Simple(base);
            pos++;
            TypeSpec result;
            if (base == Base.LIST) {
                result = new ListOf(type());
            } else if (base == Base.DICT) {
                TypeSpec key = type();
                if (!key.equals(STR) && !key.equals(INT)) {
                    throw new IllegalArgumentException("dict keys must be str or int, got " + key);
                }
                expect(',');
                result = new DictOf(key, type());
            } else {
                throw new IllegalArgumentException("type " + name + " takes no parameters");
            }
            expect(']');
            return result;
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + pos + " of type '" + s + "'");
            }
            pos++;
        }
    }
}
