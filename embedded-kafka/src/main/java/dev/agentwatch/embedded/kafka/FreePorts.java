package dev.agentwatch.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Replaces port 0 in a config with ports that are free on its host right now. */
final class FreePorts {

    private FreePorts() {
    }

    static EmbeddedKafkaConfig resolve(EmbeddedKafkaConfig config) {
        if (config.port() != 0 && config.controllerPort() != 0) {
            return config;
        }
        // Both probe sockets stay open together so the two picks cannot coincide.
        try (ServerSocket first = bind(config.host()); ServerSocket second = bind(config.host())) {
            int port = config.port() != 0 ? config.port() : first.getLocalPort();
            int controllerPort = config.controllerPort() != 0 ? config.controllerPort() : second.getLocalPort();
            return config.withPorts(port, controllerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + config.host(), e);
        }
    }

    private static ServerSocket bind(String host) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        return socket;
    }
}
