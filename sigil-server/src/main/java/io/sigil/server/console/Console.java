package io.sigil.server.console;

import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.Sigil;
import io.sigil.auth.Authenticator;
import io.sigil.health.HealthReport;
import io.sigil.server.ApiEndpoint;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The operator console at {@code /console}: server-rendered pages over the server's own runtime (sessions and
 * their timelines, a live run, pending approvals, memory, agents, contracts, health and metrics), behind the API's
 * credentials. See docs/console.md.
 */
public final class Console {
    private final ConsoleAuth auth;
    private final Sigil runtime;
    private final Supplier<HealthReport> health;
    private final MeterRegistry registry;
    private final String version;

    private Console(Builder b) {
        this.auth = new ConsoleAuth(b.authenticator, b.logins);
        this.runtime = b.runtime;
        this.health = b.health;
        this.registry = b.registry;
        this.version = b.version;
    }

    public static Builder builder() { return new Builder(); }

    /** The login cookie as a WebSocket credential (for {@link io.sigil.server.http.RequestGuard}). */
    public ConsoleAuth auth() { return auth; }

    public List<ApiEndpoint> endpoints() {
        SessionPages sessions = new SessionPages(runtime.sessions());
        CatalogPages catalog = new CatalogPages(runtime.agents(), runtime.definitions(), runtime.contracts());
        MemoryPage memory = new MemoryPage(runtime::memory);
        HealthPage healthPage = new HealthPage(health, registry, version);
        LivePage live = new LivePage(runtime.agents());
        ApprovalsPage approvals = new ApprovalsPage(new io.sigil.approval.Approvals(runtime.events(), runtime.tools(),
                runtime.clock()), runtime.agents(), runtime.clock());
        List<ApiEndpoint> all = new ArrayList<>(LoginEndpoints.all(auth));
        all.add(new ConsoleAssets());
        all.add(ConsolePage.get("/console", "Console: sessions", auth, sessions::list));
        all.add(ConsolePage.get("/console/sessions/{session_id}", "Console: a session's timeline", auth, sessions::timeline));
        all.add(ConsolePage.get("/console/live", "Console: run an agent and watch it live", auth, live::render));
        all.add(ConsolePage.get("/console/approvals", "Console: pending approvals", auth, approvals::render));
        all.add(ConsolePage.get("/console/memory", "Console: memory search and browse", auth, memory::render));
        all.add(ConsolePage.get("/console/agents", "Console: agents", auth, catalog::agents));
        all.add(ConsolePage.get("/console/agents/{name}", "Console: an agent", auth, catalog::agent));
        all.add(ConsolePage.post("/console/agents/validate", "Console: validate an agent definition", auth, catalog::validateAgent));
        all.add(ConsolePage.get("/console/contracts", "Console: contracts", auth, catalog::contracts));
        all.add(ConsolePage.get("/console/contracts/{name}", "Console: a contract", auth, catalog::contract));
        all.add(ConsolePage.post("/console/contracts/{name}/validate", "Console: validate an output", auth, catalog::validateContract));
        all.add(ConsolePage.get("/console/health", "Console: health and key metrics", auth, healthPage::render));
        return all;
    }

    public static final class Builder {
        private Authenticator authenticator;
        private ConsoleLogins logins;
        private Sigil runtime;
        private Supplier<HealthReport> health;
        private MeterRegistry registry;
        private String version = "dev";

        public Builder authenticator(Authenticator a) { this.authenticator = a; return this; }
        public Builder logins(ConsoleLogins l) { this.logins = l; return this; }
        public Builder runtime(Sigil r) { this.runtime = r; return this; }
        public Builder health(Supplier<HealthReport> h) { this.health = h; return this; }
        public Builder registry(MeterRegistry r) { this.registry = r; return this; }
        public Builder version(String v) { this.version = v; return this; }

        public Console build() {
            Objects.requireNonNull(authenticator, "authenticator");
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(registry, "registry");
            if (logins == null) logins = ConsoleLogins.defaults(runtime.clock());
            return new Console(this);
        }
    }
}
