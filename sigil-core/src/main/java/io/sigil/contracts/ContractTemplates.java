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
 * lists them with its own contracts, and a contract file of the same name overrides a template.
 */
public final class ContractTemplates {
    public static final List<String> NAMES = List.of("lead_qualification", "research_report", "appointment_booking",
            "market_analysis", "compliance_check");
    private static final String DIR = "/io/sigil/contracts/templates/";

    private final ContractLoader loader;
    private final Map<String, LoadedContract> loaded = new LinkedHashMap<>();

    /** Reads (and parses the rules of) every template once. */
    public ContractTemplates(ContractLoader loader) {
        this.loader = loader;
        for (String n : NAMES) loaded.put(n, load(n));
    }

    public List<LoadedContract> all() { return List.copyOf(loaded.values()); }

    public Optional<LoadedContract> find(String name) { return Optional.ofNullable(loaded.get(name)); }

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
