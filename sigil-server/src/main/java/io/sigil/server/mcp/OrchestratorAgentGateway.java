package io.sigil.server.mcp;

import io.sigil.agents.AgentRegistry;
import io.sigil.mcp.server.AgentGateway;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.orchestrator.RunStatus;

import java.util.List;

/** The MCP server's view of Sigil: the registered agents, run through the orchestrator like a REST run. */
public final class OrchestratorAgentGateway implements AgentGateway {
    private final Orchestrator orchestrator;
    private final AgentRegistry agents;

    public OrchestratorAgentGateway(Orchestrator orchestrator, AgentRegistry agents) {
        this.orchestrator = orchestrator;
        this.agents = agents;
    }

    @Override
    public List<AgentTool> agents() {
        return agents.list().stream().map(a -> new AgentTool(a.name(), a.description())).toList();
    }

    @Override
    public Answer run(String agent, String message, String sessionId, String user) {
        agents.get(agent); // a NotFoundError naming the known agents
        RunResponse r = orchestrator.handle(RunRequest.builder(message).agent(agent).sessionId(sessionId).userId(user)
                .build(), RunListener.NONE);
        String text = r.status() == RunStatus.SUCCESS || r.status() == RunStatus.PARTIAL ? r.answerText()
                : r.status().wireName() + ": " + String.join("; ", r.errors());
        return new Answer(text, r.sessionId(), r.status().wireName(), r.status() == RunStatus.SUCCESS);
    }
}
