package dev.agentwatch.model.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared reference folder ({@code shared/reference}) that sits beside the repository clone:
 * found by walking up from the working directory, so it works from the module, the repository
 * root, or a CI checkout with {@code shared/} copied next to it. Fails loudly when absent: tests
 * that need it must not skip silently.
 */
final class SharedReference {

    private SharedReference() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("reference");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/reference folder above " + dir
                + ": copy the shared/ folder beside the repository clone");
    }

    /** Every {@code req-N.bin} of an OpenInference LangChain capture scenario, in N order. */
    static List<ExportTraceServiceRequest> capture(String scenario) {
        Path folder = root().resolve("captures/openinference_langchain").resolve(scenario);
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = new ArrayList<>(list.filter(p -> p.getFileName().toString().matches("req-\\d+\\.bin")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))));
        if (files.isEmpty()) {
            throw new IllegalStateException("no req-N.bin in " + folder);
        }
        List<ExportTraceServiceRequest> requests = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                requests.add(ExportTraceServiceRequest.parseFrom(in));
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
        }
        return requests;
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
