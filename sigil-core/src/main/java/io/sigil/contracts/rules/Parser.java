package io.sigil.contracts.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser of the rule language (precedence from loosest: or, and, not, comparison chains and
 * {@code in}, + -, * / %, unary minus, postfix field/index/method access, atoms). See docs/contracts.md.
 */
final class Parser {
    /** Nesting deeper than this is refused, so a hostile rule cannot exhaust the stack of parser or interpreter. */
    static final int MAX_DEPTH = 64;
    /** Longer rules are refused: it bounds the size (and evaluation depth) of every syntax tree. */
    static final int MAX_LENGTH = 1_000;

    private final String src;
    private int depth;
    private final List<Token> tokens;
    private int i;

    Parser(String src) {
        this.src = src;
        this.tokens = new Lexer(src).tokens();
    }

    Expr parse() {
        if (src.length() > MAX_LENGTH) {
            throw new RuleSyntaxError(src, MAX_LENGTH, "the rule is longer than " + MAX_LENGTH + " characters");
        }
        if (peek().kind() == Token.Kind.END) throw error(peek(), "the rule is empty");
        Expr e = or();
        if (peek().kind() != Token.Kind.END) throw error(peek(), "unexpected " + peek().describe() + " after a complete expression");
        return e;
    }

    private Expr or() {
        if (++depth > MAX_DEPTH) throw error(peek(), "the rule nests deeper than " + MAX_DEPTH + " levels");
        Expr left = and();
        while (peek().isWord("or")) {
            next();
            left = new Expr.Logical(false, left, and());
        }
        depth--;
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().isWord("and")) {
            next();
            left = new Expr.Logical(true, left, not());
        }
        return left;
    }

    private Expr not() {
        if (peek().isWord("not")) {
            next();
            if (++depth > MAX_DEPTH) throw error(peek(), "the rule nests deeper than " + MAX_DEPTH + " levels");
            Expr e = new Expr.Not(not());
            depth--;
            return e;
        }
        return comparison();
    }

    private Expr comparison() {
        Expr first = additive();
        List<Expr> operands = new ArrayList<>();
        List<Expr.CompareOp> ops = new ArrayList<>();
        operands.add(first);
        while (true) {
            Expr.CompareOp op = compareOp();
            if (op == null) break;
            ops.add(op);
            operands.add(additive());
        }
        return ops.isEmpty() ? first : new Expr.Compare(List.copyOf(operands), List.copyOf(ops));
    }

    private Expr.CompareOp compareOp() {
        Token t = peek();
        if (t.kind() == Token.Kind.OP) {
            Expr.CompareOp op = switch (t.text()) {
                case "==" -> Expr.CompareOp.EQ;
                case "!=" -> Expr.CompareOp.NE;
                case "<" -> Expr.CompareOp.LT;
                case "<=" -> Expr.CompareOp.LE;
                case ">" -> Expr.CompareOp.GT;
                case ">=" -> Expr.CompareOp.GE;
                default -> null;
            };
            if (op != null) next();
            return op;
        }
        if (t.isWord("in")) {
            next();
            return Expr.CompareOp.IN;
        }
        if (t.isWord("not") && tokens.get(i + 1).isWord("in")) {
            next();
            next();
            return Expr.CompareOp.NOT_IN;
        }
        return null;
    }

    private Expr additive() {
        Expr left = multiplicative();
        while (peek().isOp("+") || peek().isOp("-")) {
            char op = next().text().charAt(0);
            left = new Expr.Arithmetic(op, left, multiplicative());
        }
        return left;
    }

    private Expr multiplicative() {
        Expr left = unary();
        while (peek().isOp("*") || peek().isOp("/") || peek().isOp("%")) {
            char op = next().text().charAt(0);
            left = new Expr.Arithmetic(op, left, unary());
        }
        return left;
    }

    private Expr unary() {
        if (peek().isOp("-")) {
            next();
            if (++depth > MAX_DEPTH) throw error(peek(), "the rule nests deeper than " + MAX_DEPTH + " levels");
            Expr e = new Expr.Negate(unary());
            depth--;
            return e;
        }
        if (peek().isOp("+")) {
            next();
            if (++depth > MAX_DEPTH) throw error(peek(), "the rule nests deeper than " + MAX_DEPTH + " levels");
            Expr e = unary();
            depth--;
            return e;
        }
        return postfix(atom());
    }

    private Expr postfix(Expr target) {
        while (true) {
            if (peek().kind() == Token.Kind.DOT) {
                next();
                Token name = expect(Token.Kind.IDENT, "a field or method name after '.'");
                if (peek().kind() == Token.Kind.LPAREN) {
                    Expr.Function f = function(name);
                    List<Expr> args = new ArrayList<>();
                    args.add(target);
                    args.addAll(arguments());
                    target = call(name, f, args);
                } else {
                    target = new Expr.Field(target, name.text());
                }
            } else if (peek().kind() == Token.Kind.LBRACKET) {
                next();
                Expr index = or();
                expect(Token.Kind.RBRACKET, "']' to close the index");
                target = new Expr.Index(target, index);
            } else {
                return target;
            }
        }
    }

    private Expr atom() {
        Token t = next();
        switch (t.kind()) {
            case NUMBER, STRING:
                return new Expr.Literal(t.literal());
            case LPAREN: {
                Expr e = or();
                expect(Token.Kind.RPAREN, "')' to close the parenthesis opened at position " + t.position());
                return e;
            }
            case LBRACKET: {
                List<Expr> items = new ArrayList<>();
                if (peek().kind() != Token.Kind.RBRACKET) {
                    do {
                        items.add(or());
                    } while (accept(Token.Kind.COMMA));
                }
                expect(Token.Kind.RBRACKET, "',' or ']' in the list opened at position " + t.position());
                return new Expr.ListLiteral(List.copyOf(items));
            }
            case IDENT:
                return identifier(t);
            default:
                throw error(t, "expected a value, 'value', a function call or '(' but found " + t.describe());
        }
    }

    private Expr identifier(Token t) {
        switch (t.text()) {
            case "value": return new Expr.ValueRef();
            case "true", "True": return new Expr.Literal(Boolean.TRUE);
            case "false", "False": return new Expr.Literal(Boolean.FALSE);
            case "null", "None": return new Expr.Literal(null);
            default:
        }
        if (peek().kind() == Token.Kind.LPAREN) {
            Expr.Function f = function(t);
            return call(t, f, arguments());
        }
        throw error(t, "unknown name '" + t.text() + "': a rule can only refer to 'value' (use value." + t.text()
                + " for a field)");
    }

    private Expr.Function function(Token name) {
        Expr.Function f = Expr.Function.named(name.text());
        if (f == null) throw error(name, "unknown function '" + name.text() + "'; available: " + Expr.Function.names());
        return f;
    }

    private List<Expr> arguments() {
        Token open = expect(Token.Kind.LPAREN, "'('");
        List<Expr> args = new ArrayList<>();
        if (peek().kind() != Token.Kind.RPAREN) {
            do {
                args.add(or());
            } while (accept(Token.Kind.COMMA));
        }
        expect(Token.Kind.RPAREN, "',' or ')' in the call opened at position " + open.position());
        return args;
    }

    private Expr call(Token name, Expr.Function f, List<Expr> args) {
        if (f.arity >= 0 && args.size() != f.arity) {
            throw error(name, f.name + "() takes " + f.arity + " argument" + (f.arity == 1 ? "" : "s") + ", got " + args.size());
        }
        if (f.arity < 0 && args.isEmpty()) throw error(name, f.name + "() needs at least one argument");
        Pattern pattern = null;
        if (f == Expr.Function.MATCHES && args.get(1) instanceof Expr.Literal(String regex)) {
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw error(name, "invalid regular expression '" + regex + "': " + e.getDescription());
            }
        }
        return new Expr.Call(f, List.copyOf(args), pattern);
    }

    private Token peek() { return tokens.get(i); }

    private Token next() {
        Token t = tokens.get(i);
        if (t.kind() != Token.Kind.END) i++;
        return t;
    }

    private boolean accept(Token.Kind kind) {
        if (peek().kind() == kind) {
            next();
            return true;
        }
        return false;
    }

    private Token expect(Token.Kind kind, String what) {
        Token t = peek();
        if (t.kind() != kind) throw error(t, "expected " + what + " but found " + t.describe());
        return next();
    }

    private RuleSyntaxError error(Token at, String problem) { return new RuleSyntaxError(src, at.position(), problem); }
}
