package dev.agentwatch.detectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared reference captures ({@code shared/reference/captures/openinference_langchain}),
 * found by walking up from the working directory. Fails loudly when absent: tests never skip.
 */
public final class SharedCaptures {
    private SharedCaptures() {
    }

    public static Path root() {
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

    /** The raw OTLP/HTTP protobuf bodies {@code req-N.bin} of a scenario, in N order. */
    public static List<byte[]> requestBodies(String scenario) {
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
        List<byte[]> bodies = new ArrayList<>();
        for (Path file : files) {
            try {
                bodies.add(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bodies;
    }
}
