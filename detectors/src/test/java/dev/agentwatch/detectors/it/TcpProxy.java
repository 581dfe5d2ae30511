package dev.agentwatch.detectors.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A loopback TCP forwarder, to put a service "down" and "up" again at a fixed port. */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;

    private TcpProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket target = new Socket(targetHost, targetPort);
                    pump(client, target);
                    pump(target, client);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    static TcpProxy start(int port, String targetHost, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        return new TcpProxy(server, targetHost, targetPort);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side closed
            } finally {
                try {
                    to.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
