package io.sigil.contracts.rules;

import java.util.List;
import java.util.regex.Pattern;

/** The syntax tree of a rule. Closed: the interpreter handles exactly these nodes and nothing else can run. */
sealed interface Expr {
    /** A number, string, boolean or null written in the rule. */
    record Literal(Object value) implements Expr { }

    /** The value under validation: the only variable a rule can name. */
    record ValueRef() implements Expr { }

    /** {@code target.name}: a field of an object. */
    record Field(Expr target, String name) implements Expr { }

    /** {@code target[index]}: an element of a list or string, or a field of an object by string key. */
    record Index(Expr target, Expr index) implements Expr { }

    /** {@code [a, b, c]}. */
    record ListLiteral(List<Expr> items) implements Expr { }

    /** {@code -x}. */
    record Negate(Expr operand) implements Expr { }

    /** {@code not x}. */
    record Not(Expr operand) implements Expr { }

    /** {@code a and b} / {@code a or b}, short-circuit. */
    record Logical(boolean and, Expr left, Expr right) implements Expr { }

    /** {@code + - * / %}. */
    record Arithmetic(char op, Expr left, Expr right) implements Expr { }

    /** A comparison chain {@code a < b <= c}: true when every adjacent pair holds (each operand evaluated once). */
    record Compare(List<Expr> operands, List<CompareOp> ops) implements Expr { }

    /** A call of one of the built-in functions; {@code pattern} is the precompiled regex of a literal matches(). */
    record Call(Function function, List<Expr> args, Pattern pattern) implements Expr { }

    enum CompareOp {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), NOT_IN("not in");

        final String symbol;

        CompareOp(String symbol) { this.symbol = symbol; }
    }

    /** The built-in functions and their arity; {@code x.f(a)} is the same as {@code f(x, a)}. */
    enum Function {
        LEN("len", 1), STARTSWITH("startswith", 2), ENDSWITH("endswith", 2), MATCHES("matches", 2),
        LOWER("lower", 1), UPPER("upper", 1), ABS("abs", 1), MIN("min", -1), MAX("max", -1);

        final String name;
        final int arity; // -1: one or more

        Function(String name, int arity) {
            this.name = name;
            this.arity = arity;
        }

        static Function named(String name) {
            for (Function f : values()) if (f.name.equals(name)) return f;
            return null;
        }

        static String names() {
            StringBuilder sb = new StringBuilder();
            for (Function f : values()) sb.append(sb.isEmpty() ? "" : ", ").append(f.name);
            return sb.toString();
        }
    }
}
