package io.sigil.server.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractDefinitionError;
import io.sigil.contracts.ContractIssue;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractRegistry;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.ContractValidator;
import io.sigil.contracts.ContractWriter;
import io.sigil.contracts.ContractStore;
import io.sigil.contracts.LoadedContract;
import io.sigil.contracts.ValidationError;
import io.sigil.contracts.ValidationResult;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Contracts and the bundled templates over REST: list, read, create (a new contract or a new version of one),
 * delete and validate an output. Definitions use the YAML file format as JSON; created ones are written to the
 * contracts directory as {@code <name>-<version>.yaml}. Bundled templates are part of the release and cannot be
 * deleted (deleting a file contract that overrides one brings the template back).
 */
public final class ContractEndpoints {
    private static final String TAG = "contracts";
    private static final Route.Access READ = Route.Access.scope(Scope.CONTRACTS_READ);
    private static final Route.Access WRITE = Route.Access.scope(Scope.CONTRACTS_WRITE);

    private ContractEndpoints() { }

    public static List<ApiEndpoint> all(ContractStore registry, ContractTemplates templates, ContractLoader loader,
                                        JsonBodies bodies, ObjectMapper mapper, int maxPage) {
        return List.of(
                Endpoints.pagedList(Route.get("/contracts", READ, TAG,
                        "List contracts (templates and the contracts directory), paged"), maxPage,
                        ctx -> registry.list().stream().map(ContractSummary::of).toList()),
                Endpoints.json(Route.get("/contracts/{name}", READ, TAG,
                        "A contract's definition (latest version, or ?version=) and its versions"),
                        ctx -> get(registry, contractName(ctx), ctx.queryParam("version"))),
                Endpoints.withBody(Route.post("/contracts", WRITE, TAG,
                        "Create a contract, or a new version of one (the definition's version must not exist yet)"),
                        bodies, JsonNode.class, (ctx, body) -> create(registry, loader, mapper, body, ctx)),
                Endpoints.noContent(Route.delete("/contracts/{name}", WRITE, TAG,
                        "Delete a contract from the contracts directory: every version, or only ?version="),
                        ctx -> delete(registry, templates, contractName(ctx), ctx.queryParam("version"))),
                Endpoints.json(Route.post("/contracts/{name}/validate", WRITE, TAG,
                        "Validate an output against a contract: each error with its field path"), ctx -> {
                    String name = contractName(ctx);
                    return validate(registry, name, bodies.read(ctx, ValidateBody.class));
                }),
                Endpoints.pagedList(Route.get("/templates", READ, TAG, "List the bundled contract templates, paged"),
                        maxPage, ctx -> templates.all().stream().map(ContractEndpoints::templateSummary).toList()),
                Endpoints.json(Route.get("/templates/{name}", READ, TAG, "A bundled template's definition"),
                        ctx -> template(templates, contractName(ctx))));
    }

    /** One line of the contract list. {@code source} is {@code template} or the file's name. */
    public record ContractSummary(String name, String latestVersion, List<String> versions, String source,
                                  String description, boolean template) {
        static ContractSummary of(ContractRegistry.Entry e) {
            String source = e.template() ? "template" : Path.of(e.source()).getFileName().toString();
            return new ContractSummary(e.name(), e.latestVersion(), e.versions(), source, e.description(), e.template());
        }
    }

    /** A path parameter naming a contract, checked before any lookup. */
    static String contractName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!Contract.isValidName(name)) {
            throw ApiProblem.badRequest("'" + name + "' is not a valid contract name.", List.of(new Problem.InvalidParam(
                    "name", "a letter, then up to 63 letters, digits, '_' or '-'")));
        }
        return name;
    }

    static ObjectNode definition(Contract c) {
        return ContractWriter.toTree(c);
    }

    private static ObjectNode get(ContractStore registry, String name, String version) {
        Contract c = version == null || version.isBlank() ? registry.get(name) : registry.get(name, version);
        ObjectNode body = definition(c);
        body.set("versions", body.arrayNode().addAll(registry.versions(name).stream()
                .map(v -> (JsonNode) body.textNode(v)).toList()));
        return body;
    }

    private static ObjectNode create(ContractStore registry, ContractLoader loader, ObjectMapper mapper,
                                     JsonNode body, Context ctx) throws Exception {
        if (!body.isObject()) throw ApiProblem.badRequest("The body must be a contract definition object.", List.of());
        LoadedContract loaded;
        try {
            loaded = loader.read(mapper.writeValueAsString(body), "request.json");
        } catch (ContractDefinitionError e) {
            throw invalid(e.problems());
        }
        List<ContractIssue> errors = loaded.issues().stream().filter(ContractIssue::isError).toList();
        if (!errors.isEmpty()) throw invalid(errors);
        Contract c = loaded.contract();
        if (registry.find(c.name(), c.version()).isPresent()) {
            throw new ApiProblem(Problem.of(409, "conflict", "Conflict", "Contract '" + c.name() + "' version "
                    + c.version() + " already exists; versions are never overwritten. Send a higher 'version'.")
                    .withInvalidParams(List.of(new Problem.InvalidParam("version", "already exists"))));
        }
        registry.add(c);
        ObjectNode out = definition(c);
        out.set("warnings", mapper.valueToTree(loaded.issues().stream().filter(i -> !i.isError())
                .map(i -> new Problem.InvalidParam(i.where(), i.message())).toList()));
        ctx.header("Location", "/contracts/" + c.name() + "?version=" + c.version());
        ctx.status(201);
        return out;
    }

    private static ApiProblem invalid(List<ContractIssue> problems) {
        List<Problem.InvalidParam> params = problems.stream()
                .map(p -> new Problem.InvalidParam(p.where().isEmpty() ? "(body)" : p.where(), p.message())).toList();
        return ApiProblem.badRequest("The contract definition is invalid (" + params.size() + " problem"
                + (params.size() == 1 ? "" : "s") + "); see invalid_params.", params);
    }

    private static void delete(ContractStore registry, ContractTemplates templates, String name, String version) {
        if (version != null && version.isBlank()) version = null;
        if (!registry.remove(name, version).isEmpty()) return;
        if (templates.find(name).isPresent()) {
            throw new ApiProblem(Problem.of(409, "conflict", "Conflict", "'" + name + "' is a bundled template;"
                    + " templates ship with Sigil and cannot be deleted. To change it, create a contract of the same"
                    + " name (it overrides the template)."));
        }
        throw ApiProblem.notFound(version == null ? "No contract '" + name + "' in the contracts directory."
                : "Contract '" + name + "' has no version " + version + "; versions: " + registry.versions(name) + ".");
    }

    /** Body of a validation request: the output to check and, optionally, the version and strictness. */
    public record ValidateBody(JsonNode output, String version, Boolean strict) {
        public ValidateBody {
            if (output == null || output.isMissingNode()) {
                throw new io.sigil.server.http.FieldError("output", "output is required: the agent output to validate (a JSON object, or a string holding one)");
            }
        }
    }

    /** One validation problem; {@code field} is the path in the output ({@code bant_assessment.budget}). */
    public record Issue(String field, String reason, String expected, String actual, String severity, String suggestion) {
        static Issue of(ValidationError e) {
            return new Issue(e.field(), e.reason(), e.expected(), e.actual(),
                    e.severity().name().toLowerCase(java.util.Locale.ROOT), e.suggestion());
        }
    }

    public record ValidationReport(String contract, String version, boolean valid, List<Issue> errors,
                                   List<Issue> warnings, Set<String> validDeliverables) { }

    private static ValidationReport validate(ContractRegistry registry, String name, ValidateBody body) {
        Contract c = body.version() == null ? registry.get(name) : registry.get(name, body.version());
        ContractValidator validator = new ContractValidator(Boolean.TRUE.equals(body.strict()));
        ValidationResult r = body.output().isTextual() ? validator.validateText(c, body.output().textValue())
                : validator.validate(c, body.output());
        return new ValidationReport(c.name(), c.version(), r.valid(), r.errors().stream().map(Issue::of).toList(),
                r.warnings().stream().map(Issue::of).toList(), new java.util.TreeSet<>(r.validDeliverables()));
    }

    private static Map<String, Object> templateSummary(LoadedContract t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.contract().name());
        m.put("version", t.contract().version());
        m.put("description", t.contract().description());
        m.put("deliverables", t.contract().deliverables().stream().map(d -> d.name()).toList());
        return m;
    }

    private static ObjectNode template(ContractTemplates templates, String name) {
        LoadedContract t = templates.find(name).orElseThrow(() -> ApiProblem.notFound("No template '" + name
                + "'. Templates: " + String.join(", ", ContractTemplates.NAMES) + "."));
        return definition(t.contract());
    }
}
