package io.sigil.contracts.rules;

/** One lexical token of a rule; {@code position} is its 0-based offset in the source. */
record Token(Kind kind, String text, Object literal, int position) {
    enum Kind { NUMBER, STRING, IDENT, OP, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, END }

    boolean is(Kind k, String t) { return kind == k && text.equals(t); }

    boolean isOp(String t) { return kind == Kind.OP && text.equals(t); }

    boolean isWord(String t) { return kind == Kind.IDENT && text.equals(t); }

    String describe() { return kind == Kind.END ? "end of rule" : "'" + text + "'"; }
}
