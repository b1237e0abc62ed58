package io.sigil.contracts;

import io.sigil.errors.NotFoundError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract templates bundled with Sigil (sigil-design.md section 8), read from YAML resources. A registry
 * lists them with its own contracts, and a contract file of the same name overrides a template. Templates are
 * read lazily: using one template parses only that one.
 */
public final class ContractTemplates {
    public static final List<String> NAMES = List.of("lead_qualification", "research_report", "appointment_booking",
            "market_analysis", "compliance_check");
    private static final String DIR = "/io/sigil/contracts/templates/";

    private final ContractLoader loader;
    private final Map<String, LoadedContract> loaded = new LinkedHashMap<>();

    /** Reads nothing yet: each template is read (and its rules parsed) once, on first use. */
    public ContractTemplates(ContractLoader loader) { this.loader = loader; }

    /** Every template, read now if not read before. */
    public synchronized List<LoadedContract> all() {
        for (String n : NAMES) loaded.computeIfAbsent(n, this::load);
        return NAMES.stream().map(loaded::get).toList();
    }

    /** The template of this name, reading only that one. */
    public synchronized Optional<LoadedContract> find(String name) {
        return NAMES.contains(name) ? Optional.of(loaded.computeIfAbsent(name, this::load)) : Optional.empty();
    }

    private LoadedContract load(String name) {
        String resource = DIR + name + ".yaml";
        try (InputStream in = ContractTemplates.class.getResourceAsStream(resource)) {
            if (in == null) throw new NotFoundError("Bundled template " + resource + " is missing from the build");
            return loader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "template:" + name + ".yaml");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bundled template " + resource, e);
        }
    }
}
