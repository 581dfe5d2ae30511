package dev.agentwatch.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run labels as JSON lines, one object per run, snake_case keys, times in RFC 3339. Appends and
 * flushes each line so a killed fleet leaves every label it emitted. Not thread-safe.
 */
final class LabelsFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final BufferedWriter writer;

    private LabelsFile(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    static LabelsFile create(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new LabelsFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the labels file " + path, e);
        }
    }

    void write(RunLabel label) {
        try {
            writer.write(toJson(label));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the labels file " + path, e);
        }
    }

    static String toJson(RunLabel label) {
        ObjectNode node = JSON.createObjectNode()
                .put("fleet_id", label.fleetId())
                .put("tenant", label.tenant())
                .put("index", label.index())
                .put("run_id", label.runId())
                .put("subject_id", label.subjectId())
                .put("agent_name", label.agentName())
                .put("agent_version", label.agentVersion())
                .put("decision_model", label.decisionModel())
                .put("sim_start", label.simStart().toString())
                .put("sim_end", label.simEnd().toString())
                .put("finished", label.finished())
                .put("emitted_at", Instant.ofEpochMilli(label.emittedAtMillis()).toString())
                .put("failure", label.failureLabel())
                .put("detail", label.detail())
                .put("claimed_outcome", label.claimedOutcome())
                .put("truth_verdict", label.truthVerdict());
        if (!Double.isNaN(label.judgeScore())) {
            node.put("judge_score", label.judgeScore());
        }
        var expected = node.putArray("expected_detectors");
        label.failure().ifPresent(k -> k.detectedBy().stream().sorted().forEach(expected::add));
        return node.toString();
    }

    static RunLabel fromJson(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            String failure = n.path("failure").asText("none");
            return new RunLabel(n.path("fleet_id").asText(), n.path("tenant").asText(), n.path("index").asLong(),
                    n.path("run_id").asText(), n.path("subject_id").asText(), n.path("agent_name").asText(),
                    n.path("agent_version").asText(), n.path("decision_model").asText(),
                    Instant.parse(n.path("sim_start").asText()), Instant.parse(n.path("sim_end").asText()),
                    n.path("finished").asBoolean(), Instant.parse(n.path("emitted_at").asText()).toEpochMilli(),
                    failure.equals("none") ? Optional.empty() : Optional.of(FailureKind.ofLabel(failure)),
                    n.path("detail").asText(), n.path("claimed_outcome").asText(),
                    n.has("judge_score") ? n.get("judge_score").asDouble() : Double.NaN,
                    n.path("truth_verdict").asText());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a run label line: " + e.getMessage(), e);
        }
    }

    /** Every label in a file written by this class. */
    static List<RunLabel> read(Path path) {
        List<RunLabel> labels = new ArrayList<>();
        try {
            int lineNumber = 0;
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    labels.add(fromJson(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(path + " line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the labels file " + path, e);
        }
        return labels;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the labels file " + path, e);
        }
    }
}
