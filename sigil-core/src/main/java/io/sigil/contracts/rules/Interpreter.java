package io.sigil.contracts.rules;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tree-walking evaluator of rule syntax trees. Runtime values are null, Boolean, Long, Double, String, List
 * (list literals) and Jackson containers (arrays and objects of the validated output, read in place without
 * copying). Scalars of the output are unwrapped on access. Anything ill-typed ({@code len(5)}, {@code 'a' < 1})
 * is an {@link EvaluationException}, which the validator reports as a failed rule with the reason.
 */
final class Interpreter {
    /** Regexes longer inputs than this are not matched, bounding the cost of backtracking patterns. */
    static final int MAX_MATCH_INPUT = 10_000;

    private Interpreter() { }

    static final class EvaluationException extends RuntimeException {
        EvaluationException(String message) { super(message, null, false, false); }
    }

    static Object eval(Expr e, Object value) {
        return switch (e) {
            case Expr.Literal l -> l.value();
            case Expr.ValueRef v -> unwrap(value);
            case Expr.Field f -> field(eval(f.target(), value), f.name());
            case Expr.Index x -> index(eval(x.target(), value), eval(x.index(), value));
            case Expr.ListLiteral l -> {
                List<Object> items = new ArrayList<>(l.items().size());
                for (Expr item : l.items()) items.add(eval(item, value));
                yield items;
            }
            case Expr.Negate n -> negate(eval(n.operand(), value));
            case Expr.Not n -> !truthy(eval(n.operand(), value));
            case Expr.Logical l -> {
                Object left = eval(l.left(), value);
                if (l.and() ? !truthy(left) : truthy(left)) yield left;
                yield eval(l.right(), value);
            }
            case Expr.Arithmetic a -> arithmetic(a.op(), eval(a.left(), value), eval(a.right(), value));
            case Expr.Compare c -> compareChain(c, value);
            case Expr.Call c -> call(c, value);
        };
    }

    static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case List<?> l -> !l.isEmpty();
            case JsonNode n -> !n.isEmpty();
            default -> true;
        };
    }

    /** Scalars of the output become Java values; arrays and objects stay as they are. */
    static Object unwrap(Object v) {
        if (!(v instanceof JsonNode n)) return v;
        if (n.isMissingNode() || n.isNull()) return null;
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) return n.textValue();
        return n;
    }

    private static Object field(Object target, String name) {
        if (target instanceof JsonNode n && n.isObject()) {
            JsonNode child = n.get(name);
            if (child == null) throw new EvaluationException("field '" + name + "' is missing");
            return unwrap(child);
        }
        throw new EvaluationException("cannot read field '" + name + "' of " + describe(target));
    }

    private static Object index(Object target, Object index) {
        if (target instanceof JsonNode n && n.isObject() && index instanceof String key) return field(n, key);
        if (!(index instanceof Long l)) throw new EvaluationException("index must be an integer, got " + describe(index));
        int size = size(target);
        long k = l < 0 ? size + l : l;
        if (k < 0 || k >= size) throw new EvaluationException("index " + l + " is out of range for length " + size);
        int at = (int) k;
        return switch (target) {
            case String s -> String.valueOf(s.charAt(at));
            case List<?> list -> list.get(at);
            case JsonNode n -> unwrap(n.get(at));
            default -> throw new EvaluationException("cannot index " + describe(target));
        };
    }

    private static Object negate(Object v) {
        return switch (v) {
            case Long l -> -l;
            case Double d -> -d;
            default -> throw new EvaluationException("cannot negate " + describe(v));
        };
    }

    private static Object arithmetic(char op, Object a, Object b) {
        if (op == '+' && a instanceof String s && b instanceof String t) return s + t;
        if (!(a instanceof Long || a instanceof Double) || !(b instanceof Long || b instanceof Double)) {
            throw new EvaluationException("cannot apply '" + op + "' to " + describe(a) + " and " + describe(b));
        }
        if (a instanceof Long x && b instanceof Long y && op != '/') {
            return switch (op) {
                case '+' -> Math.addExact(x, y);
                case '-' -> Math.subtractExact(x, y);
                case '*' -> Math.multiplyExact(x, y);
                default -> {
                    if (y == 0) throw new EvaluationException("modulo by zero");
                    yield Math.floorMod(x, y);
                }
            };
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        if ((op == '/' || op == '%') && y == 0) throw new EvaluationException("division by zero");
        return switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            case '*' -> x * y;
            case '/' -> x / y;
            default -> x - Math.floor(x / y) * y;
        };
    }

    private static boolean compareChain(Expr.Compare c, Object value) {
        Object left = eval(c.operands().getFirst(), value);
        for (int k = 0; k < c.ops().size(); k++) {
            Object right = eval(c.operands().get(k + 1), value);
            if (!compare(c.ops().get(k), left, right)) return false;
            left = right;
        }
        return true;
    }

    private static boolean compare(Expr.CompareOp op, Object a, Object b) {
        return switch (op) {
            case EQ -> equal(a, b);
            case NE -> !equal(a, b);
            case IN -> contains(b, a);
            case NOT_IN -> !contains(b, a);
            case LT -> order(op, a, b) < 0;
            case LE -> order(op, a, b) <= 0;
            case GT -> order(op, a, b) > 0;
            case GE -> order(op, a, b) >= 0;
        };
    }

    private static int order(Expr.CompareOp op, Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        if (a instanceof String s && b instanceof String t) return s.compareTo(t);
        throw new EvaluationException("cannot compare " + describe(a) + " " + op.symbol + " " + describe(b));
    }

    private static boolean isNumber(Object v) { return v instanceof Long || v instanceof Double; }

    static boolean equal(Object a, Object b) {
        a = unwrap(a);
        b = unwrap(b);
        if (isNumber(a) && isNumber(b)) return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        if (a instanceof JsonNode || b instanceof JsonNode || a instanceof List || b instanceof List) {
            List<Object> x = asList(a);
            List<Object> y = asList(b);
            if (x != null && y != null) {
                if (x.size() != y.size()) return false;
                for (int k = 0; k < x.size(); k++) if (!equal(x.get(k), y.get(k))) return false;
                return true;
            }
            return a instanceof JsonNode n && b instanceof JsonNode m && n.equals(m);
        }
        return Objects.equals(a, b);
    }

    private static List<Object> asList(Object v) {
        if (v instanceof List<?> l) return new ArrayList<>(l);
        if (v instanceof JsonNode n && n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(out::add);
            return out;
        }
        return null;
    }

    private static boolean contains(Object container, Object item) {
        return switch (container) {
            case String s when item instanceof String t -> s.contains(t);
            case String s -> throw new EvaluationException("'in <string>' needs a string on the left, got " + describe(item));
            case List<?> l -> {
                for (Object o : l) if (equal(o, item)) yield true;
                yield false;
            }
            case JsonNode n when n.isObject() -> item instanceof String key && n.has(key);
            case JsonNode n -> {
                for (JsonNode e : n) if (equal(e, item)) yield true;
                yield false;
            }
            default -> throw new EvaluationException("cannot test membership in " + describe(container));
        };
    }

    private static int size(Object v) {
        return switch (v) {
            case String s -> s.codePointCount(0, s.length());
            case List<?> l -> l.size();
            case JsonNode n when n.isContainerNode() -> n.size();
            default -> throw new EvaluationException("len() needs a string, list or object, got " + describe(v));
        };
    }

    private static Object call(Expr.Call c, Object value) {
        List<Object> args = new ArrayList<>(c.args().size());
        for (Expr a : c.args()) args.add(eval(a, value));
        return switch (c.function()) {
            case LEN -> (long) size(args.get(0));
            case STARTSWITH -> string(c, args, 0).startsWith(string(c, args, 1));
            case ENDSWITH -> string(c, args, 0).endsWith(string(c, args, 1));
            case LOWER -> string(c, args, 0).toLowerCase(java.util.Locale.ROOT);
            case UPPER -> string(c, args, 0).toUpperCase(java.util.Locale.ROOT);
            case MATCHES -> {
                String s = string(c, args, 0);
                if (s.length() > MAX_MATCH_INPUT) {
                    throw new EvaluationException("matches() input longer than " + MAX_MATCH_INPUT + " characters");
                }
                Pattern p = c.pattern() != null ? c.pattern() : compile(string(c, args, 1));
                yield p.matcher(s).find();
            }
            case ABS -> {
                Object v = args.get(0);
                if (v instanceof Long l) yield Math.abs(l);
                if (v instanceof Double d) yield Math.abs(d);
                throw new EvaluationException("abs() needs a number, got " + describe(v));
            }
            case MIN, MAX -> extreme(c.function() == Expr.Function.MAX, args.size() == 1 ? asIterable(args.get(0)) : args);
        };
    }

    private static Iterable<?> asIterable(Object v) {
        List<Object> l = asList(v);
        if (l == null) throw new EvaluationException("min()/max() of one argument needs a list, got " + describe(v));
        List<Object> out = new ArrayList<>(l.size());
        for (Object o : l) out.add(unwrap(o));
        return out;
    }

    private static Object extreme(boolean max, Iterable<?> items) {
        Iterator<?> it = items.iterator();
        if (!it.hasNext()) throw new EvaluationException("min()/max() of an empty list");
        Object best = it.next();
        while (it.hasNext()) {
            Object o = it.next();
            int cmp = order(Expr.CompareOp.LT, o, best);
            if (max ? cmp > 0 : cmp < 0) best = o;
        }
        return best;
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new EvaluationException("invalid regular expression '" + regex + "'");
        }
    }

    private static String string(Expr.Call c, List<Object> args, int k) {
        if (args.get(k) instanceof String s) return s;
        throw new EvaluationException(c.function().name + "() needs a string, got " + describe(args.get(k)));
    }

    static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case Boolean b -> "bool " + b;
            case Long l -> "int " + l;
            case Double d -> "float " + d;
            case String s -> "str '" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'";
            case List<?> l -> "list of " + l.size();
            case JsonNode n when n.isArray() -> "list of " + n.size();
            case JsonNode n when n.isObject() -> "object with " + n.size() + " fields";
            default -> v.getClass().getSimpleName();
        };
    }
}
