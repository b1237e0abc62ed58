package io.sigil.server;

import java.util.function.Supplier;

/**
 * A component opened on first use and then shared (a model-backed router, the memory service and its ONNX model).
 * A failed opening is not remembered: the next request tries again and gets the error itself.
 */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> opener;
    private volatile T value;

    public Lazy(Supplier<T> opener) { this.opener = opener; }

    @Override
    public T get() {
        T v = value;
        if (v != null) return v;
        synchronized (this) {
            if (value == null) value = opener.get();
            return value;
        }
    }

    /** The value if it has been opened, else null (for closing only what was opened). */
    public T ifOpened() { return value; }
}
