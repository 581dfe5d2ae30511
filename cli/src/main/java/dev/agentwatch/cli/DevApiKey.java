package dev.agentwatch.cli;

import dev.agentwatch.collector.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A local development API key, generated once and kept (mode 0600) in the data directory, so
 * that {@code up} is secure by default without asking the user to configure keys first.
 */
final class DevApiKey {
    static final String FILE_NAME = "dev-api-key";

    private DevApiKey() {
    }

    /** Reads the key in {@code dataDir}, creating it when absent. */
    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(dataDir);
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = "aw_dev_" + HexFormat.of().formatHex(random);
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the file keeps the default permissions.
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the dev API key at " + file, e);
        }
    }

    static String hash(String key) {
        return ApiKeys.hash(key);
    }
}
