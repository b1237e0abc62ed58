package io.sigil.contracts;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link ContractStore} adapter must have; the file store and the PostgreSQL store run it
 * unchanged. {@link #store()} returns a store over this test's state, the same state on every call (a second call
 * is a second process on the same state).
 */
public abstract class ContractStoreConformance {
    protected final ContractLoader loader = new ContractLoader();

    protected abstract ContractStore store();

    static Contract quote(String version, String deliverable) {
        return Contract.builder("quote").version(version).description("A price quote " + version)
                .deliverable(Deliverable.builder(deliverable, "float").rule("value > 0"))
                .deliverable(Deliverable.builder("currency", "str").allowedValues("EUR", "USD"))
                .maxTotalTokens(5_000).failureStrategy(FailureStrategy.FAIL).maxRetries(1)
                .metadata("owner", "sales").build();
    }

    @Test
    void storedContractsReadBackEqualAndTheHighestVersionIsTheLatest() {
        store().add(quote("1.9.0", "amount"));
        store().add(quote("1.10.0", "total"));
        Contract latest = store().get("quote");
        assertThat(latest.version()).isEqualTo("1.10.0");
        assertThat(ContractWriter.toTree(latest)).isEqualTo(ContractWriter.toTree(quote("1.10.0", "total")));
        assertThat(ContractWriter.toTree(store().get("quote", "1.9.0"))).isEqualTo(ContractWriter.toTree(quote("1.9.0", "amount")));
        assertThat(store().find("quote", "3.0.0")).isEmpty();
        assertThat(store().versions("quote")).containsExactly("1.9.0", "1.10.0");
        assertThat(store().stored()).extracting(Contract::version).containsExactly("1.9.0", "1.10.0");
        assertThat(store().list()).filteredOn(e -> e.name().equals("quote")).singleElement().satisfies(e -> {
            assertThat(e.latestVersion()).isEqualTo("1.10.0");
            assertThat(e.versions()).containsExactly("1.9.0", "1.10.0");
            assertThat(e.template()).isFalse();
            assertThat(e.description()).isEqualTo("A price quote 1.10.0");
        });
    }

    @Test
    void rulesOfAStoredContractStillValidate() {
        store().add(quote("1.0.0", "amount"));
        var validator = new ContractValidator();
        assertThat(validator.validateText(store().get("quote"), "{\"amount\": 3.5, \"currency\": \"EUR\"}").valid()).isTrue();
        assertThat(validator.validateText(store().get("quote"), "{\"amount\": -1.0, \"currency\": \"EUR\"}").valid()).isFalse();
    }

    @Test
    void aVersionIsNeverOverwrittenAndAnInvalidContractIsRefused() {
        store().add(quote("1.0.0", "amount"));
        assertThatThrownBy(() -> store().add(quote("1.0.0", "other"))).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("already exists");
        assertThat(store().get("quote").deliverables().getFirst().name()).isEqualTo("amount");
        Contract empty = Contract.builder("empty_one").build();
        assertThatThrownBy(() -> store().add(empty)).isInstanceOf(InvalidInputError.class);
        assertThat(store().find("empty_one")).isEmpty();
    }

    @Test
    void aStoredContractOverridesATemplateAndRemovingItBringsTheTemplateBack() {
        String template = store().get("lead_qualification").version();
        Contract mine = Contract.builder("lead_qualification").version("9.0.0")
                .deliverable(Deliverable.builder("score", "int")).build();
        store().add(mine);
        assertThat(store().get("lead_qualification").version()).isEqualTo("9.0.0");
        assertThat(store().list()).filteredOn(e -> e.name().equals("lead_qualification")).singleElement()
                .satisfies(e -> assertThat(e.template()).isFalse());
        assertThat(store().remove("lead_qualification", null)).containsExactly("9.0.0");
        assertThat(store().get("lead_qualification").version()).isEqualTo(template);
        assertThat(store().remove("lead_qualification", null)).isEmpty();
        assertThat(store().list()).filteredOn(e -> e.name().equals("lead_qualification")).singleElement()
                .satisfies(e -> assertThat(e.template()).isTrue());
    }

    @Test
    void removesOneVersionOrAll() {
        store().add(quote("1.0.0", "a"));
        store().add(quote("2.0.0", "b"));
        store().add(quote("3.0.0", "c"));
        assertThat(store().remove("quote", "2.0.0")).containsExactly("2.0.0");
        assertThat(store().versions("quote")).containsExactly("1.0.0", "3.0.0");
        assertThat(store().remove("quote", "7.0.0")).isEmpty();
        assertThat(store().remove("quote", null)).containsExactly("1.0.0", "3.0.0");
        assertThat(store().find("quote")).isEmpty();
        assertThatThrownBy(() -> store().get("quote")).isInstanceOf(NotFoundError.class);
    }

    @Test
    void concurrentWritersFromSeparateStoresLoseNothing() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int n = i;
                futures.add(pool.submit(() -> store().add(quote("1." + n + ".0", "amount"))));
            }
            for (Future<?> f : futures) f.get();
        }
        assertThat(store().versions("quote")).hasSize(24).startsWith("1.0.0", "1.1.0", "1.2.0").endsWith("1.23.0");
        assertThat(store().get("quote").version()).isEqualTo("1.23.0");
    }
}
