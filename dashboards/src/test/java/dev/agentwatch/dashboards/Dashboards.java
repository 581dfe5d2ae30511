package dev.agentwatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The dashboard JSON files of this repository, parsed, with their panels and queries. */
final class Dashboards {
    static final Path ROOT = locate();
    static final Path GRAFANA = ROOT.resolve("grafana");
    static final Path PROVISIONING = ROOT.resolve("provisioning");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One dashboard file. */
    record Dashboard(Path file, JsonNode json) {
        String uid() {
            return json.path("uid").asText();
        }

        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            json.path("panels").forEach(panel -> {
                panels.add(panel);
                panel.path("panels").forEach(panels::add);
            });
            return panels;
        }
    }

    private Dashboards() {
    }

    static List<Dashboard> all() {
        try (Stream<Path> files = Files.list(GRAFANA)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return new Dashboard(f, JSON.readTree(f.toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException("not valid JSON: " + f, e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module folder: surefire runs in it, an IDE may run from the repository root. */
    private static Path locate() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here, here.resolve("dashboards"))) {
            if (Files.isDirectory(candidate.resolve("grafana")) && Files.isDirectory(candidate.resolve("provisioning"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find dashboards/grafana from " + here);
    }
}
