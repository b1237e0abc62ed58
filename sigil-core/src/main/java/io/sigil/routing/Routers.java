package io.sigil.routing;

import io.sigil.errors.ConfigError;
import io.sigil.llm.ChatModel;

import java.util.Locale;
import java.util.function.Supplier;

/** Builds the router the settings ask for ({@code routing.mode}: keyword or llm). */
public final class Routers {
    private Routers() { }

    /**
     * @param mode      {@code keyword} or {@code llm} (case-insensitive)
     * @param model     supplies the model for {@code llm} mode; not called in keyword mode
     * @param modelName the model name for routing calls, or null for the provider default
     */
    public static Router forMode(String mode, Supplier<ChatModel> model, String modelName) {
        String m = mode == null ? KeywordRouter.MODE : mode.strip().toLowerCase(Locale.ROOT);
        return switch (m) {
            case KeywordRouter.MODE -> new KeywordRouter();
            case LlmRouter.MODE -> new LlmRouter(model.get(), modelName, new KeywordRouter());
            default -> throw new ConfigError("unknown routing mode '" + mode + "'",
                    "set routing.mode (SIGIL_ROUTING__MODE) to keyword or llm");
        };
    }
}
