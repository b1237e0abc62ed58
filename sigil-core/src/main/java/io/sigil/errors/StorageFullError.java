package io.sigil.errors;

import java.io.IOException;
import java.util.Map;

/**
 * A durable write was refused because the device holding a store is full. Nothing of the write was acknowledged;
 * the store keeps what it had and accepts writes again, by itself, once space is freed: the caller may retry.
 * The API answers 507.
 */
public class StorageFullError extends StateError {
    public StorageFullError(String what, Throwable cause) {
        super(what + " could not be stored: no space left on the device", "free space on the state volume (or grow it)"
                + " and retry; nothing needs restarting", Map.of(), true, cause);
    }

    /** True when {@code e} (or a cause) is the operating system's "no space left" (ENOSPC) or a quota refusal. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof IOException && m != null
                    && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                    || m.contains("There is not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }
}
