package dev.agentwatch.collector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared reference folder ({@code shared/reference}) beside the repository clone, found by
 * walking up from the working directory. Fails loudly when absent: tests must not skip.
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

    /** The raw bytes of every {@code req-N.bin} of a capture scenario, in N order. */
    static List<byte[]> capture(String scenario) {
        Path folder = root().resolve("captures/openinference_langchain").resolve(scenario);
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = new ArrayList<>(list.filter(p -> p.getFileName().toString().matches("req-\\d+\\.bin")).toList());
            files.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))));
            List<byte[]> bodies = new ArrayList<>();
            for (Path file : files) {
                bodies.add(Files.readAllBytes(file));
            }
            if (bodies.isEmpty()) {
                throw new IllegalStateException("no req-N.bin in " + folder);
            }
            return bodies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(String relative) {
        try {
            return Files.readAllBytes(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
