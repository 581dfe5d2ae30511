package dev.agentwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flat configuration: bundled defaults, then an optional file, then {@code AGENTWATCH_*}
 * environment variables (later wins). The only place that reads the environment. Unknown keys
 * are refused so that a typo does not silently leave a default in place.
 */
final class Settings {
    private static final Set<String> SECRET_KEYS = Set.of("clickhouse.password", "collector.api.keys");
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = values;
    }

    static Settings load(Path file, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>(defaults());
        if (file != null) {
            Properties fromFile = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                fromFile.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            fromFile.forEach((key, value) -> put(values, key.toString(), value.toString().strip(), "config file " + file));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("AGENTWATCH_") && !name.startsWith("AGENTWATCH_TEST_") && !name.equals("AGENTWATCH_HOME")) {
                String key = name.substring("AGENTWATCH_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                put(values, key, value.strip(), "environment variable " + name);
            }
        });
        return new Settings(values);
    }

    private static void put(Map<String, String> values, String key, String value, String source) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "' in " + source + "; known settings: "
                    + String.join(", ", values.keySet()));
        }
        values.put(key, value);
    }

    private static Map<String, String> defaults() {
        Properties properties = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/agentwatch-defaults.properties")) {
            properties.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.forEach((key, value) -> values.put(key.toString(), value.toString().strip()));
        return values;
    }

    /** A copy with {@code overrides} in force; every key must be a known setting. */
    Settings with(Map<String, String> overrides) {
        Map<String, String> next = new TreeMap<>(values);
        overrides.forEach((key, value) -> put(next, key, value, "override"));
        return new Settings(next);
    }

    String string(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("no such setting: " + key);
        }
        return value;
    }

    int integer(String key) {
        try {
            return Integer.parseInt(string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + string(key) + "'");
        }
    }

    boolean bool(String key) {
        String value = string(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("setting " + key + " must be true or false, got '" + value + "'");
        };
    }

    /** Parses {@code a=b, c=d}. */
    Map<String, String> map(String key) {
        Map<String, String> map = new TreeMap<>();
        for (String entry : string(key).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting " + key + " must look like a=b, c=d; bad entry '" + entry.strip() + "'");
            }
            map.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return map;
    }

    /** For the start-up log: every setting, secrets masked. */
    String describe() {
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> out.append("  ").append(key).append('=')
                .append(SECRET_KEYS.contains(key) && !value.isEmpty() ? "***" : value).append('\n'));
        return out.toString();
    }
}
