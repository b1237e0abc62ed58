package io.sigil.services;

import io.sigil.config.Settings;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolSource;

import java.time.Clock;
import java.util.List;

/** Registers the tools of the services whose keys are set (ServiceLoader); its health check covers all five. */
public final class ServicesToolSource implements ToolSource {
    @Override
    public int order() { return 0; }

    @Override
    public Attached attach(Settings settings, ToolRegistry tools, Clock clock) {
        Services services = Services.fromSettings(settings.tools(), clock);
        services.tools().forEach(tools::register);
        return () -> List.of(services.healthCheck());
    }
}
