package dev.agentwatch.embedded.clickhouse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chDB engine (the ClickHouse engine as a library) opened on a persistent data directory,
 * through Java's FFM API.
 *
 * <p><b>One engine per process.</b> chDB boots one engine per process, bound to one data path.
 * Several {@code Chdb} instances on the same path may be open at once (each is a chDB connection);
 * opening one on a different path while another is open fails with {@link IllegalStateException}.
 * Closing the last open instance shuts the engine down (a few milliseconds); opening again in the
 * same process boots it anew (about 20 ms) and sees the persisted data — verified with chDB
 * 26.7.3.
 *
 * <p><b>Sessions.</b> Each chDB connection is a ClickHouse session: {@code USE db} and {@code SET}
 * persist on it across statements. {@link #openSession()} opens a fresh connection (about 0.1 ms)
 * so that callers such as the HTTP server get per-request state, and {@link #query} runs a
 * statement in a throw-away session. The connection held by this object only keeps the engine
 * alive.
 *
 * <p><b>Thread-safety.</b> Safe for concurrent use: every native call, across all instances, is
 * serialised by one process-wide lock, so the engine runs one statement at a time. A long query
 * therefore delays every other caller.
 *
 * <p>The engine's own signal handlers are disabled before the first connect, so the JVM keeps its
 * handlers (it relies on SIGSEGV for null checks and safepoints).
 */
public final class Chdb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Chdb.class);
  private static final ReentrantLock ENGINE_LOCK = new ReentrantLock();
  private static final int APPEND_CHUNK_BYTES = 8 << 20;

  // Guarded by ENGINE_LOCK: the path the process-wide engine is bound to while instances are open.
  private static Path engineDataDir;
  private static int openInstances;

  private final ChdbNative lib;
  private final Path dataDir;
  private final MemorySegment anchorConnection;
  private final Set<ChdbSession> sessions = new LinkedHashSet<>();
  private boolean closed;

  private Chdb(ChdbNative lib, Path dataDir, MemorySegment anchorConnection) {
    this.lib = lib;
    this.dataDir = dataDir;
    this.anchorConnection = anchorConnection;
  }

  /**
   * Loads {@code library} (once per process) and opens the engine on {@code dataDir}, creating the
   * directory if needed.
   *
   * @throws IllegalStateException if the engine is open on another directory in this process, or
   *     chDB refuses to connect
   */
  public static Chdb open(Path library, Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the chDB data directory " + dir, e);
    }
    ENGINE_LOCK.lock();
    try {
      if (openInstances > 0 && !dir.equals(engineDataDir)) {
        throw new IllegalStateException(
            "chDB runs one engine per process and it is open on "
                + engineDataDir
                + "; close that engine (or use the same data directory) before opening "
                + dir);
      }
      long startNanos = System.nanoTime();
      ChdbNative lib = ChdbNative.load(library);
      lib.setSignalHandlersEnabled.invokeExact(0);
      MemorySegment anchor = connect(lib, dir);
      openInstances++;
      engineDataDir = dir;
      LOG.atInfo()
          .addKeyValue("data_dir", dir)
          .addKeyValue("library", library)
          .addKeyValue("elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))
          .log("chDB engine open");
      return new Chdb(lib, dir, anchor);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native call into chDB failed", t);
    } finally {
      ENGINE_LOCK.unlock();
    }
  }

  /** The data directory the engine persists to. */
  public Path dataDir() {
    return dataDir;
  }

  /** The engine's version string, e.g. {@code 26.7.3}. */
  public String version() {
    return locked(() -> ChdbNative.string((MemorySegment) lib.version.invokeExact()));
  }

  /**
   * Opens a fresh session: its own current database and settings, closed with {@link
   * ChdbSession#close()}.
   */
  public ChdbSession openSession() {
    return locked(
        () -> {
          ensureOpen();
          ChdbSession session = new ChdbSession(this, connect(lib, dataDir));
          sessions.add(session);
          return session;
        });
  }

  /**
   * Runs one statement in a throw-away session. Never pass inline INSERT data here: chDB cuts it at
   * the first blank line; use {@link ChdbSession#insert} instead.
   *
   * @param format the default output format, e.g. {@code TabSeparated}; a FORMAT clause wins
   * @throws ChdbQueryException if the engine refuses the statement
   */
  public ChdbResult query(String sql, String format) {
    try (ChdbSession session = openSession()) {
      return session.query(sql, format);
    }
  }

  /** Closes every open session and this instance's connection; the last instance stops the engine. */
  @Override
  public void close() {
    ENGINE_LOCK.lock();
    try {
      if (closed) {
        return;
      }
      for (ChdbSession session : List.copyOf(sessions)) {
        session.close();
      }
      closed = true;
      closeConnection(anchorConnection);
      openInstances--;
      LOG.atInfo()
          .addKeyValue("data_dir", dataDir)
          .addKeyValue("engine_stopped", openInstances == 0)
          .log("chDB instance closed");
    } finally {
      ENGINE_LOCK.unlock();
    }
  }

  // ---- native operations used by ChdbSession; each runs under ENGINE_LOCK ----

  void closeSession(ChdbSession session, MemorySegment connectionHandle) {
    ENGINE_LOCK.lock();
    try {
      if (sessions.remove(session)) {
        closeConnection(connectionHandle);
      }
    } finally {
      ENGINE_LOCK.unlock();
    }
  }

  ChdbResult query(MemorySegment connectionHandle, String sql, String format, Map<String, String> parameters) {
    return locked(
        () -> {
          ensureOpen();
          MemorySegment connection = connectionHandle.get(ADDRESS, 0);
          try (Arena arena = Arena.ofConfined()) {
            byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            byte[] formatBytes = format.getBytes(StandardCharsets.UTF_8);
            MemorySegment sqlSegment = bytes(arena, sqlBytes);
            MemorySegment formatSegment = bytes(arena, formatBytes);
            MemorySegment result;
            if (parameters.isEmpty()) {
              result =
                  (MemorySegment)
                      lib.queryN.invokeExact(
                          connection,
                          sqlSegment,
                          (long) sqlBytes.length,
                          formatSegment,
                          (long) formatBytes.length);
            } else {
              int count = parameters.size();
              MemorySegment names = arena.allocate(ADDRESS, count);
              MemorySegment nameLengths = arena.allocate(JAVA_LONG, count);
              MemorySegment values = arena.allocate(ADDRESS, count);
              MemorySegment valueLengths = arena.allocate(JAVA_LONG, count);
              int i = 0;
              for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                byte[] name = parameter.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = parameter.getValue().getBytes(StandardCharsets.UTF_8);
                names.setAtIndex(ADDRESS, i, bytes(arena, name));
                nameLengths.setAtIndex(JAVA_LONG, i, name.length);
                values.setAtIndex(ADDRESS, i, bytes(arena, value));
                valueLengths.setAtIndex(JAVA_LONG, i, value.length);
                i++;
              }
              result =
                  (MemorySegment)
                      lib.queryWithParamsN.invokeExact(
                          connection,
                          sqlSegment,
                          (long) sqlBytes.length,
                          formatSegment,
                          (long) formatBytes.length,
                          names,
                          nameLengths,
                          values,
                          valueLengths,
                          (long) count);
            }
            return consume(result, 0);
          }
        });
  }

  ChdbResult insert(MemorySegment connectionHandle, String insertHead, String format, List<ByteBuffer> data) {
    return locked(
        () -> {
          ensureOpen();
          long startNanos = System.nanoTime();
          MemorySegment connection = connectionHandle.get(ADDRESS, 0);
          try (Arena arena = Arena.ofConfined()) {
            byte[] sqlBytes = insertHead.getBytes(StandardCharsets.UTF_8);
            byte[] formatBytes = format.getBytes(StandardCharsets.UTF_8);
            MemorySegment stream =
                (MemorySegment)
                    lib.streamInsertN.invokeExact(
                        connection,
                        bytes(arena, sqlBytes),
                        (long) sqlBytes.length,
                        bytes(arena, formatBytes),
                        (long) formatBytes.length);
            if (stream.equals(MemorySegment.NULL)) {
              throw new IllegalStateException("chdb_stream_insert_n returned NULL");
            }
            try {
              String initError =
                  ChdbNative.string((MemorySegment) lib.streamInsertError.invokeExact(stream));
              if (initError != null) {
                throw ChdbQueryException.fromEngineMessage(initError);
              }
              long total = data.stream().mapToLong(ByteBuffer::remaining).sum();
              MemorySegment chunk = arena.allocate(Math.max(1, Math.min(total, APPEND_CHUNK_BYTES)));
              boolean appended = true;
              for (ByteBuffer buffer : data) {
                ByteBuffer remaining = buffer.duplicate();
                while (appended && remaining.hasRemaining()) {
                  int n = (int) Math.min(remaining.remaining(), chunk.byteSize());
                  MemorySegment.copy(
                      MemorySegment.ofBuffer(remaining), 0, chunk, 0, n);
                  remaining.position(remaining.position() + n);
                  int state = (int) lib.streamAppend.invokeExact(stream, chunk, (long) n);
                  appended = state == 0;
                }
              }
              // When an append fails, chdb_stream_done reports the engine's error.
              MemorySegment result = (MemorySegment) lib.streamDone.invokeExact(stream);
              return consume(result, System.nanoTime() - startNanos);
            } finally {
              lib.destroyInsertStream.invokeExact(stream);
            }
          }
        });
  }

  // ---- internals; callers hold ENGINE_LOCK ----

  private ChdbResult consume(MemorySegment result, long fallbackElapsedNanos) throws Throwable {
    if (result.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("chDB returned no result handle");
    }
    try {
      String error = ChdbNative.string((MemorySegment) lib.resultError.invokeExact(result));
      if (error != null) {
        throw ChdbQueryException.fromEngineMessage(error);
      }
      long length = (long) lib.resultLength.invokeExact(result);
      if (length > Integer.MAX_VALUE - 16) {
        throw ChdbQueryException.of(
            396, "TOO_MANY_ROWS_OR_BYTES", "result of " + length + " bytes exceeds 2 GiB; add a LIMIT");
      }
      byte[] output = new byte[(int) length];
      if (length > 0) {
        MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
        MemorySegment.copy(buffer.reinterpret(length), JAVA_BYTE, 0, output, 0, (int) length);
      }
      double elapsedSeconds = (double) lib.resultElapsedSeconds.invokeExact(result);
      long elapsedNanos = (long) (elapsedSeconds * 1e9);
      return new ChdbResult(
          output,
          (long) lib.resultRowsRead.invokeExact(result),
          (long) lib.resultBytesRead.invokeExact(result),
          (long) lib.resultStorageRowsRead.invokeExact(result),
          (long) lib.resultStorageBytesRead.invokeExact(result),
          (long) lib.resultRowsWritten.invokeExact(result),
          (long) lib.resultBytesWritten.invokeExact(result),
          elapsedNanos > 0 ? elapsedNanos : fallbackElapsedNanos);
    } finally {
      lib.destroyResult.invokeExact(result);
    }
  }

  private static MemorySegment connect(ChdbNative lib, Path dir) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      // The engine's own log goes to stderr (e.g. a spurious Fatal "ThreadStatus: current_thread
      // contains invalid address" on every streaming insert); errors still reach callers through
      // chdb_result_error, so the console stays ours.
      List<String> args = new ArrayList<>(List.of("clickhouse", "--path=" + dir, "--log-level=none"));
      MemorySegment argv = arena.allocate(ADDRESS, args.size());
      for (int i = 0; i < args.size(); i++) {
        argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args.get(i)));
      }
      MemorySegment handle = (MemorySegment) lib.connect.invokeExact(args.size(), argv);
      if (handle.equals(MemorySegment.NULL)) {
        throw new IllegalStateException(
            "chdb_connect refused the data directory "
                + dir
                + "; check that it is writable and not used by another process");
      }
      return handle.reinterpret(ADDRESS.byteSize());
    }
  }

  private void closeConnection(MemorySegment handle) {
    try {
      lib.closeConnection.invokeExact(handle);
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_close_conn failed", t);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the chDB engine on " + dataDir + " is closed");
    }
  }

  private static MemorySegment bytes(Arena arena, byte[] bytes) {
    MemorySegment segment = arena.allocate(bytes.length + 1L);
    MemorySegment.copy(bytes, 0, segment, JAVA_BYTE, 0, bytes.length);
    return segment;
  }

  private interface NativeCall<T> {
    T call() throws Throwable;
  }

  private static <T> T locked(NativeCall<T> call) {
    ENGINE_LOCK.lock();
    try {
      return call.call();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native call into chDB failed", t);
    } finally {
      ENGINE_LOCK.unlock();
    }
  }
}
