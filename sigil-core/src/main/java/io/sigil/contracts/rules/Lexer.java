package io.sigil.contracts.rules;

import java.util.ArrayList;
import java.util.List;

/** Splits a rule into tokens: numbers, quoted strings (single or double), identifiers, operators, brackets. */
final class Lexer {
    private final String src;
    private int pos;

    Lexer(String src) { this.src = src; }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
            if (pos >= src.length()) {
                out.add(new Token(Token.Kind.END, "", null, src.length()));
                return out;
            }
            int start = pos;
            char c = src.charAt(pos);
            if (Character.isDigit(c)) out.add(number(start));
            else if (c == '\'' || c == '"') out.add(string(start, c));
            else if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
                out.add(new Token(Token.Kind.IDENT, src.substring(start, pos), null, start));
            } else {
                out.add(symbol(start, c));
            }
        }
    }

    private Token number(int start) {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        boolean fractional = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            fractional = true;
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                fractional = true;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            } else {
                pos = save;
            }
        }
        String text = src.substring(start, pos);
        try {
            Object literal = fractional ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
            return new Token(Token.Kind.NUMBER, text, literal, start);
        } catch (NumberFormatException e) {
            throw new RuleSyntaxError(src, start, "number " + text + " is out of range");
        }
    }

    private Token string(int start, char quote) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == quote) return new Token(Token.Kind.STRING, src.substring(start, pos), sb.toString(), start);
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\', '\'', '"' -> sb.append(e);
                    default -> sb.append('\\').append(e); // as in Python: '\d' stays a regex escape
                }
            } else {
                sb.append(c);
            }
        }
        throw new RuleSyntaxError(src, start, "string starting here is not closed (missing " + quote + ")");
    }

    private Token symbol(int start, char c) {
        pos++;
        switch (c) {
            case '(': return new Token(Token.Kind.LPAREN, "(", null, start);
            case ')': return new Token(Token.Kind.RPAREN, ")", null, start);
            case '[': return new Token(Token.Kind.LBRACKET, "[", null, start);
            case ']': return new Token(Token.Kind.RBRACKET, "]", null, start);
            case ',': return new Token(Token.Kind.COMMA, ",", null, start);
            case '.': return new Token(Token.Kind.DOT, ".", null, start);
            case '+': case '-': case '*': case '/': case '%':
                return new Token(Token.Kind.OP, String.valueOf(c), null, start);
            case '<': case '>': case '=': case '!': {
                boolean eq = pos < src.length() && src.charAt(pos) == '=';
                if (eq) {
                    pos++;
                    return new Token(Token.Kind.OP, c + "=", null, start);
                }
                if (c == '=' ) throw new RuleSyntaxError(src, start, "use '==' to compare, '=' alone is not an operator");
                if (c == '!') throw new RuleSyntaxError(src, start, "use 'not' for negation or '!=' for inequality");
                return new Token(Token.Kind.OP, String.valueOf(c), null, start);
            }
            case '&': case '|':
                throw new RuleSyntaxError(src, start, "use 'and' / 'or' instead of '" + c + "'");
            default:
                throw new RuleSyntaxError(src, start, "unexpected character '" + c + "'");
        }
    }
}
