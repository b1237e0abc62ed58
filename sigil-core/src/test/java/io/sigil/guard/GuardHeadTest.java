package io.sigil.guard;

import io.sigil.errors.ConfigError;
import io.sigil.errors.NotFoundError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardHeadTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBuiltInHeadRecordsTheCommittedTrainingFiles() throws Exception {
        GuardHead head = GuardHead.builtIn();
        assertThat(head.embeddingModel()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(head.weights()).hasSize(GuardFeatures.names(384).size());
        assertThat(head.threshold()).isBetween(0.0, 1.0);
        assertThat(head.settings()).isEqualTo(GuardHead.TrainingSettings.DEFAULTS);
        assertThat(head.sources()).isNotEmpty();
        for (GuardHead.Source s : head.sources()) {
            Path file = ROOT.resolve(s.path());
            assertThat(file).as("training file of the built-in head").isRegularFile();
            assertThat(GuardTrainer.sha256(Files.readAllBytes(file)))
                    .as("%s changed since the head was trained: retrain with 'sigil guard train --out "
                            + "sigil-core/src/main/resources%s'", s.path(), GuardHead.RESOURCE)
                    .isEqualTo(s.sha256());
        }
    }

    @Test
    void jsonRoundTripKeepsEveryBit() {
        GuardHead head = GuardHead.builtIn();
        GuardHead again = GuardHead.fromJson(head.toJson(), "copy");
        assertThat(again).isEqualTo(head);
        assertThat(again.toJson()).isEqualTo(head.toJson());
    }

    @Test
    void unusableHeadsAreConfigErrorsWithAHint(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> GuardHead.fromJson("[1, 2]", "h.json"))
                .isInstanceOf(ConfigError.class).hasMessageContaining("Guard head h.json is not usable: not a JSON object");
        String truncated = GuardHead.builtIn().toJson().replace("\"weights\" : [ ", "\"weights\" : [ 1.0, ");
        assertThatThrownBy(() -> GuardHead.fromJson(truncated, "h.json")).isInstanceOf(ConfigError.class)
                .hasMessageContaining("needs 396 weights, not 397");
        assertThatThrownBy(() -> InjectionDetectors.readHead(dir.resolve("none.json")))
                .isInstanceOf(NotFoundError.class).hasMessageContaining("Guard head not found");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"format\": 1,");
        assertThatThrownBy(() -> InjectionDetectors.readHead(broken)).isInstanceOf(ConfigError.class);
    }
}
