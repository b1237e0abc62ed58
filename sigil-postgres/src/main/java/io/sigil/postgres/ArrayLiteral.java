package io.sigil.postgres;

import org.postgresql.util.PGobject;

import java.sql.SQLException;

/**
 * One array parameter written as PostgreSQL's array literal ({@code {1,2,"a b",NULL}}) and sent typed, so that
 * PostgreSQL decodes it once when the statement is bound, as it does an array from {@code createArrayOf}. Written
 * here because the driver's encoder boxed every number, quoted it, and grew its buffer from 16 characters: 13%
 * of the JVM's CPU samples at 256 writers (JFR, docs/benchmarks.md). Numbers and UUIDs need no quotes; text is
 * always quoted, with {@code "} and {@code \} escaped, so any string (empty, "NULL", braces, commas) stays itself.
 */
final class ArrayLiteral {
    private final String type;
    private final StringBuilder text;
    private boolean empty = true;

    /**
     * @param type        the array's PostgreSQL type, e.g. {@code int8[]}
     * @param sizeHint    expected characters, so that the buffer is not regrown
     */
    ArrayLiteral(String type, int sizeHint) {
        this.type = type;
        this.text = new StringBuilder(sizeHint + 2).append('{');
    }

    ArrayLiteral add(long value) {
        next().append(value);
        return this;
    }

    /** A UUID, a timestamp's ISO form or another value whose text needs no quoting; null is NULL. */
    ArrayLiteral addPlain(Object value) {
        next().append(value == null ? "NULL" : value.toString());
        return this;
    }

    /** Text: quoted, {@code "} and {@code \} escaped; null is NULL. */
    ArrayLiteral addText(String value) {
        StringBuilder b = next();
        if (value == null) {
            b.append("NULL");
            return this;
        }
        b.append('"');
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) { // the usual case: one copy, no per-char loop
            b.append(value);
        } else {
            int from = 0;
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch == '"' || ch == '\\') {
                    b.append(value, from, i).append('\\').append(ch);
                    from = i + 1;
                }
            }
            b.append(value, from, value.length());
        }
        b.append('"');
        return this;
    }

    private StringBuilder next() {
        if (!empty) text.append(',');
        empty = false;
        return text;
    }

    /** The parameter to bind with {@code setObject}. */
    PGobject parameter() throws SQLException {
        var p = new PGobject();
        p.setType(type);
        p.setValue(text.append('}').toString());
        return p;
    }
}
