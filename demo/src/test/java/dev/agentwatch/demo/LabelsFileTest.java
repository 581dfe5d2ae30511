package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsFileTest {

    @Test
    void labelsRoundTripThroughJsonLines(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("labels/demo.jsonl");
        RunLabel loop = DemoReportTest.label("r1", FailureKind.LOOP);
        RunLabel clean = new RunLabel("test", "acme", 1, "r2", "S-2", "sre-agent", "0.9.1", "m", loop.simStart(),
                loop.simEnd(), false, 5, java.util.Optional.empty(), "", "", Double.NaN, "");
        try (LabelsFile file = LabelsFile.create(path)) {
            file.write(loop);
            file.write(clean);
        }

        assertThat(LabelsFile.read(path)).containsExactly(loop, clean);
        List<String> lines = Files.readAllLines(path);
        assertThat(lines.getFirst()).contains("\"failure\":\"loop\"").contains("\"expected_detectors\":[\"loop\"]");
        assertThat(lines.get(1)).contains("\"failure\":\"none\"").doesNotContain("judge_score");
    }

    @Test
    void aBrokenLineNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("bad.jsonl");
        Files.writeString(path, LabelsFile.toJson(DemoReportTest.label("r1", null)) + "\n{\"failure\":\"gremlins\"}\n");
        assertThatThrownBy(() -> LabelsFile.read(path)).hasMessageContaining("line 2");
    }
}
