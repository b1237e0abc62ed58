package io.sigil.postgres;

import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.agents.AgentRegistryConformance;
import io.sigil.agents.FileAgentRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The agent registry conformance suite on PostgreSQL (a fresh database per test, the bundled agents as base). */
class PostgresAgentRegistryIT extends AgentRegistryConformance {
    @TempDir
    Path emptyAgentsDir;
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("agents");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Override
    protected AgentRegistry registry() {
        var definitions = new AgentDefinitions(STRATEGIES);
        return new PostgresAgentRegistry(db.database(), definitions, new FileAgentRegistry(emptyAgentsDir, definitions));
    }
}
