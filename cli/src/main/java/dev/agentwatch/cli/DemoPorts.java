package dev.agentwatch.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The demo's ports: those of {@code up} when they are free. A port left at its default that is
 * taken (another stack runs, say) is replaced by a free one and the change is reported; a port the
 * user chose that is taken is an error naming the setting, since the user meant that port.
 */
final class DemoPorts {
    /** A port setting and the setting naming the host it binds on. */
    private record PortSetting(String key, String hostKey) {
    }

    /** What was decided: the port settings to put in force and a line per changed port. */
    record Decision(Map<String, String> overrides, List<String> notes) {
        Decision {
            overrides = Map.copyOf(overrides);
            notes = List.copyOf(notes);
        }
    }

    private DemoPorts() {
    }

    /** Picks a free port on a host, other than those already taken. */
    @FunctionalInterface
    interface PortPicker {
        int pick(String host, Set<Integer> taken);
    }

    static Decision choose(Settings user, Settings defaults) {
        return choose(user, defaults, DemoPorts::bindable, DemoPorts::freePort);
    }

    /**
     * @param user     the settings in force
     * @param defaults the bundled defaults, to tell a chosen port from a default one
     * @param free     whether a port can be bound on a host
     * @param picker   picks a replacement for a taken default port
     */
    static Decision choose(Settings user, Settings defaults, BiPredicate<String, Integer> free, PortPicker picker) {
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        for (PortSetting setting : portsInUse(user)) {
            int port = user.integer(setting.key());
            String host = setting.hostKey() == null ? "127.0.0.1" : user.string(setting.hostKey());
            if (port <= 0) {
                continue;
            }
            if (!taken.contains(port) && free.test(host, port)) {
                taken.add(port);
                continue;
            }
            String env = "AGENTWATCH_" + setting.key().toUpperCase(Locale.ROOT).replace('.', '_');
            if (!user.string(setting.key()).equals(defaults.string(setting.key()))) {
                throw new IllegalArgumentException("port " + port + " on " + host + " (setting " + setting.key()
                        + ", variable " + env + ") is in use; free it or choose another port");
            }
            int replacement = picker.pick(host, taken);
            taken.add(replacement);
            overrides.put(setting.key(), Integer.toString(replacement));
            notes.add("port " + port + " (" + setting.key() + ") is in use, using " + replacement
                    + " instead (set " + env + " to choose)");
        }
        return new Decision(overrides, notes);
    }

    private static List<PortSetting> portsInUse(Settings user) {
        List<PortSetting> ports = new ArrayList<>();
        if (user.string("kafka.bootstrap.servers").isBlank()) {
            ports.add(new PortSetting("kafka.embedded.port", null));
            ports.add(new PortSetting("kafka.embedded.controller.port", null));
        }
        if (user.string("clickhouse.url").isBlank()) {
            ports.add(new PortSetting("clickhouse.embedded.port", "clickhouse.embedded.host"));
        }
        ports.add(new PortSetting("collector.http.port", "collector.host"));
        ports.add(new PortSetting("collector.grpc.port", "collector.host"));
        ports.add(new PortSetting("detectors.http.port", "detectors.http.host"));
        if (!user.string("alerts.config").isBlank()) {
            ports.add(new PortSetting("alerts.api.port", "alerts.api.host"));
        }
        return ports;
    }

    static boolean bindable(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String host, Set<Integer> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(host, 0));
                int port = socket.getLocalPort();
                if (!taken.contains(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot find a free port on " + host + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("cannot find a free port on " + host);
    }
}
