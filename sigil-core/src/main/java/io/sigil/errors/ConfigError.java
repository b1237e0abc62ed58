package io.sigil.errors;

import java.util.Map;

/** Configuration is invalid or incomplete. */
public class ConfigError extends SigilError {
    public ConfigError(String message) {
        super(ErrorCode.CONFIG_ERROR, message);
    }

    public ConfigError(String message, String hint) {
        super(ErrorCode.CONFIG_ERROR, message, hint);
    }

    public ConfigError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.CONFIG_ERROR, message, hint, context, recoverable, cause);
    }
}
