package dev.agentwatch.embedded.clickhouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ClickHouse server in the JVM: the chDB engine on a persistent data directory, served on the
 * ClickHouse HTTP interface, for tests and single-node deployments.
 *
 * <pre>{@code
 * try (EmbeddedClickHouse clickHouse = EmbeddedClickHouse.start(EmbeddedClickHouseConfig.defaults(dir))) {
 *   Client client = new Client.Builder().addEndpoint(clickHouse.httpUrl())...;
 * }
 * }</pre>
 *
 * <p>chDB runs one engine per process: a second instance must use the same data directory, and
 * the test suites of a JVM share {@link #shared()}, isolated by database. Closing and starting
 * again in the same process works (the engine reboots in about 20 ms and keeps its data).
 *
 * <p>Thread-safe; see {@link Chdb} for how engine calls are serialised.
 */
public final class EmbeddedClickHouse implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedClickHouse.class);
  private static EmbeddedClickHouse shared;

  private final EmbeddedClickHouseConfig config;
  private final Path libraryPath;
  private final Chdb engine;
  private final ClickHouseHttpServer httpServer;
  private volatile boolean closed;

  private EmbeddedClickHouse(
      EmbeddedClickHouseConfig config, Path libraryPath, Chdb engine, ClickHouseHttpServer httpServer) {
    this.config = config;
    this.libraryPath = libraryPath;
    this.engine = engine;
    this.httpServer = httpServer;
  }

  /**
   * Resolves the library (fetching it on first use), opens the engine on {@code
   * config.dataDir()} and starts the HTTP interface.
   *
   * @throws IllegalStateException when the library cannot be had or the engine cannot open, with a
   *     message saying what to fix
   */
  public static EmbeddedClickHouse start(EmbeddedClickHouseConfig config) {
    LOG.atInfo().addKeyValue("config", config).log("starting embedded ClickHouse");
    Path library = ChdbLibrary.resolve(config.libraryPath(), config.libraryCacheRoot());
    Chdb engine = Chdb.open(library, config.dataDir());
    try {
      ClickHouseHttpServer server = ClickHouseHttpServer.start(engine, config);
      return new EmbeddedClickHouse(config, library, engine, server);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /**
   * The JVM-wide instance for tests: started on first use on a temporary data directory and an
   * ephemeral port, with default credentials and the default library cache; closed and deleted at
   * JVM exit. Isolate tests by database. Started again if someone closed it.
   */
  public static synchronized EmbeddedClickHouse shared() {
    if (shared == null || shared.closed) {
      Path dataDir;
      try {
        dataDir = Files.createTempDirectory("agentwatch-chdb-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary chDB data directory", e);
      }
      EmbeddedClickHouse instance = start(EmbeddedClickHouseConfig.defaults(dataDir).withHttpPort(0));
      Runtime.getRuntime()
          .addShutdownHook(
              Thread.ofPlatform()
                  .name("embedded-clickhouse-shutdown")
                  .unstarted(
                      () -> {
                        instance.close();
                        ChdbLibrary.deleteRecursively(dataDir);
                      }));
      shared = instance;
    }
    return shared;
  }

  /** The HTTP endpoint, e.g. {@code http://127.0.0.1:8123}. */
  public String httpUrl() {
    return "http://" + config.host() + ":" + httpPort();
  }

  /** The bound HTTP port. */
  public int httpPort() {
    return httpServer.port();
  }

  /** The engine, for direct queries without HTTP. */
  public Chdb engine() {
    return engine;
  }

  /** The configuration this instance started with (the port may be 0: see {@link #httpPort()}). */
  public EmbeddedClickHouseConfig config() {
    return config;
  }

  /** The {@code libchdb.so} in use. */
  public Path libraryPath() {
    return libraryPath;
  }

  /** Stops the HTTP interface, then closes the engine. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    httpServer.close();
    engine.close();
  }
}
