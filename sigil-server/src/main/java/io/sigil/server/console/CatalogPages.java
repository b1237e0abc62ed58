package io.sigil.server.console;

import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.auth.Scope;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractRegistry;
import io.sigil.contracts.ContractValidator;
import io.sigil.contracts.ContractWriter;
import io.sigil.contracts.ValidationError;
import io.sigil.contracts.ValidationResult;
import io.sigil.errors.AgentError;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;

import java.util.List;

/**
 * Agents and contracts, read-only, with validation: an agent definition pasted as YAML or JSON is checked the way
 * the registry checks files (nothing is saved), and an output is validated against a contract with every error
 * and its field path. Validation changes nothing, so the read scopes suffice.
 */
final class CatalogPages {
    static final int MAX_INPUT = 200_000;

    private final AgentRegistry agents;
    private final AgentDefinitions definitions;
    private final ContractRegistry contracts;

    CatalogPages(AgentRegistry agents, AgentDefinitions definitions, ContractRegistry contracts) {
        this.agents = agents;
        this.definitions = definitions;
        this.contracts = contracts;
    }

    String agents(ConsoleRequest r) {
        r.require(Scope.AGENTS_READ);
        Html h = new Html().raw("<h1>Agents</h1><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Name</th>")
                .raw("<th scope=\"col\">Description</th><th scope=\"col\">Model</th><th scope=\"col\">Tools</th>")
                .raw("<th scope=\"col\">Contract</th><th scope=\"col\">Strategy</th></tr></thead><tbody>");
        for (AgentDefinition a : agents.list()) {
            h.raw("<tr><td>").link(Html.path("/console/agents", a.name()), a.name()).raw("</td>")
                    .el("td", a.description()).el("td", a.model() == null ? "default" : a.model())
                    .el("td", a.tools().isEmpty() ? "-" : String.join(", ", a.tools()))
                    .el("td", a.contractName() == null ? "-" : a.contractName())
                    .el("td", a.strategy() == null ? "auto" : a.strategy()).raw("</tr>");
        }
        h.raw("</tbody></table></div>");
        validateAgentForm(h, r, "");
        return Layout.page(r, "Agents", "agents", h.toString());
    }

    String agent(ConsoleRequest r) {
        r.require(Scope.AGENTS_READ);
        String name = r.ctx().pathParam("name");
        if (!AgentDefinitions.NAME.matcher(name).matches()) throw notFound("agent", name);
        AgentDefinition a = agents.get(name);
        Html h = new Html().raw("<h1>Agent <code>").text(a.name()).raw("</code></h1><p>").text(a.description()).raw("</p>")
                .raw("<p><a href=\"/console/live?agent=").text(Html.query(a.name())).raw("\">Run it live</a></p>")
                .raw("<h2>Definition</h2><pre class=\"code\">").text(AgentDefinitions.toYaml(a)).raw("</pre>");
        return Layout.page(r, "Agent " + a.name(), "agents", h.toString());
    }

    String validateAgent(ConsoleRequest r) {
        r.require(Scope.AGENTS_READ);
        String source = input(r, "definition");
        Html h = new Html().raw("<h1>Validate an agent definition</h1>");
        try {
            AgentDefinition d = definitions.parse(source, "the pasted definition");
            h.raw("<p class=\"good\" role=\"status\">Valid: agent <code>").text(d.name()).raw("</code>")
                    .raw(agents.find(d.name()).isPresent() ? " (an agent of this name exists; saving would replace it)." : ".")
                    .raw("</p>");
        } catch (AgentError e) {
            h.raw("<div class=\"bad\" role=\"alert\"><p>").text(e.getMessage()).raw("</p>");
            if (e.context().get("problems") instanceof List<?> problems) {
                h.raw("<ul>");
                for (Object p : problems) h.el("li", p);
                h.raw("</ul>");
            }
            if (e.hint() != null) h.raw("<p>").text(e.hint()).raw("</p>");
            h.raw("</div>");
        }
        validateAgentForm(h, r, source);
        return Layout.page(r, "Validate agent", "agents", h.toString());
    }

    private static void validateAgentForm(Html h, ConsoleRequest r, String source) {
        h.raw("<h2>Validate a definition</h2><form method=\"post\" action=\"/console/agents/validate\" class=\"stack\">")
                .raw(r.csrfField())
                .raw("<label for=\"definition\">Agent definition (YAML or JSON, the file format of docs/agents.md); nothing is saved</label>")
                .raw("<textarea id=\"definition\" name=\"definition\" rows=\"10\" required>").text(source).raw("</textarea>")
                .raw("<button type=\"submit\">Validate</button></form>");
    }

    String contracts(ConsoleRequest r) {
        r.require(Scope.CONTRACTS_READ);
        Html h = new Html().raw("<h1>Contracts</h1><div class=\"scroll\"><table><thead><tr><th scope=\"col\">Name</th>")
                .raw("<th scope=\"col\">Latest</th><th scope=\"col\">Versions</th><th scope=\"col\">Source</th>")
                .raw("<th scope=\"col\">Description</th></tr></thead><tbody>");
        for (ContractRegistry.Entry e : contracts.list()) {
            h.raw("<tr><td>").link(Html.path("/console/contracts", e.name()), e.name()).raw("</td>")
                    .el("td", e.latestVersion()).el("td", String.join(", ", e.versions()))
                    .el("td", e.template() ? "template" : java.nio.file.Path.of(e.source()).getFileName().toString())
                    .el("td", e.description()).raw("</tr>");
        }
        return Layout.page(r, "Contracts", "contracts", h.raw("</tbody></table></div>").toString());
    }

    String contract(ConsoleRequest r) {
        r.require(Scope.CONTRACTS_READ);
        Contract c = contract(r.ctx().pathParam("name"));
        Html h = new Html();
        contractHead(h, c);
        validateContractForm(h, r, c, "");
        return Layout.page(r, "Contract " + c.name(), "contracts", h.toString());
    }

    String validateContract(ConsoleRequest r) {
        r.require(Scope.CONTRACTS_READ);
        Contract c = contract(r.ctx().pathParam("name"));
        String output = input(r, "output");
        ValidationResult v = new ContractValidator("on".equals(r.form("strict"))).validateText(c, output);
        Html h = new Html();
        contractHead(h, c);
        h.raw("<section aria-labelledby=\"result\"><h2 id=\"result\">Result</h2>");
        if (v.valid()) {
            h.raw("<p class=\"good\" role=\"status\">Valid against ").text(c.name() + " " + c.version()).raw(".</p>");
        } else {
            h.raw("<p class=\"bad\" role=\"alert\">Invalid: ").text(v.errors().size() + " error(s).").raw("</p>");
        }
        issues(h, "Errors", v.errors());
        issues(h, "Warnings", v.warnings());
        h.raw("</section>");
        validateContractForm(h, r, c, output);
        return Layout.page(r, "Validate " + c.name(), "contracts", h.toString());
    }

    private static void contractHead(Html h, Contract c) {
        h.raw("<h1>Contract <code>").text(c.name()).raw("</code> ").text(c.version()).raw("</h1><p>").text(c.description())
                .raw("</p><details><summary>Definition (YAML)</summary><pre class=\"code\">").text(ContractWriter.toYaml(c))
                .raw("</pre></details>");
    }

    private static void issues(Html h, String title, List<ValidationError> list) {
        if (list.isEmpty()) return;
        h.raw("<h3>").text(title).raw("</h3><ul class=\"errors\">");
        for (ValidationError e : list) {
            h.raw("<li><code>").text(e.field()).raw("</code>: ").text(e.reason());
            if (e.expected() != null) h.text(" (expected " + e.expected() + (e.actual() == null ? "" : ", got " + e.actual()) + ")");
            if (e.suggestion() != null) h.raw(" <em>").text(e.suggestion()).raw("</em>");
            h.raw("</li>");
        }
        h.raw("</ul>");
    }

    private static void validateContractForm(Html h, ConsoleRequest r, Contract c, String output) {
        h.raw("<h2>Validate an output</h2><form method=\"post\" class=\"stack\" action=\"")
                .text(Html.path("/console/contracts", c.name()) + "/validate").raw("\">").raw(r.csrfField())
                .raw("<label for=\"output\">Agent output (JSON)</label>")
                .raw("<textarea id=\"output\" name=\"output\" rows=\"10\" required>").text(output).raw("</textarea>")
                .raw("<label class=\"check\"><input type=\"checkbox\" name=\"strict\"> Strict (unknown fields are errors)</label>")
                .raw("<button type=\"submit\">Validate</button></form>");
    }

    private Contract contract(String name) {
        if (!Contract.isValidName(name)) throw notFound("contract", name);
        return contracts.get(name);
    }

    private static String input(ConsoleRequest r, String field) {
        String v = r.form(field);
        if (v == null || v.isBlank()) {
            throw ApiProblem.badRequest("The field '" + field + "' is empty; paste the text to validate.",
                    List.of(new Problem.InvalidParam(field, "required")));
        }
        if (v.length() > MAX_INPUT) {
            throw ApiProblem.badRequest("The field '" + field + "' is longer than " + MAX_INPUT + " characters.",
                    List.of(new Problem.InvalidParam(field, "too long")));
        }
        return v;
    }

    private static ApiProblem notFound(String what, String name) {
        return ApiProblem.notFound("No " + what + " '" + name + "'.");
    }
}
