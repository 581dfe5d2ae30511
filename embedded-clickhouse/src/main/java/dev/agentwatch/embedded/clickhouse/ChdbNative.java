package dev.agentwatch.embedded.clickhouse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Downcall handles for the C API of {@code libchdb.so} (chDB's {@code programs/local/chdb.h}).
 *
 * <p>Only handles, no policy: callers serialise calls (see {@link Chdb}). A library is loaded once
 * per process and path and stays loaded until the JVM exits, since native code cannot be unloaded
 * safely while engine threads may still exist.
 */
final class ChdbNative {

  private static final Map<Path, ChdbNative> LOADED = new HashMap<>();

  /** {@code chdb_connection * chdb_connect(int argc, char ** argv)}. */
  final MethodHandle connect;
  /** {@code void chdb_close_conn(chdb_connection * conn)}. */
  final MethodHandle closeConnection;
  /** {@code chdb_result * chdb_query_n(chdb_connection, const char *, size_t, const char *, size_t)}. */
  final MethodHandle queryN;
  /** {@code chdb_result * chdb_query_with_params_n(conn, query, len, format, len, names, name_lens, values, value_lens, count)}. */
  final MethodHandle queryWithParamsN;
  /** {@code void chdb_destroy_query_result(chdb_result *)}. */
  final MethodHandle destroyResult;
  final MethodHandle resultBuffer;
  final MethodHandle resultLength;
  final MethodHandle resultElapsedSeconds;
  final MethodHandle resultRowsRead;
  final MethodHandle resultBytesRead;
  final MethodHandle resultStorageRowsRead;
  final MethodHandle resultStorageBytesRead;
  final MethodHandle resultRowsWritten;
  final MethodHandle resultBytesWritten;
  final MethodHandle resultError;
  /** {@code chdb_insert_stream chdb_stream_insert_n(conn, query, len, format, len)}; never NULL. */
  final MethodHandle streamInsertN;
  /** {@code chdb_state chdb_stream_append(chdb_insert_stream, const void *, size_t)}; 0 = success. */
  final MethodHandle streamAppend;
  /** {@code chdb_result * chdb_stream_done(chdb_insert_stream)}. */
  final MethodHandle streamDone;
  final MethodHandle streamInsertError;
  final MethodHandle destroyInsertStream;
  final MethodHandle version;
  /** {@code void chdb_set_signal_handlers_enabled(int)}. */
  final MethodHandle setSignalHandlersEnabled;

  private ChdbNative(SymbolLookup library) {
    Linker linker = Linker.nativeLinker();
    Downcalls d = new Downcalls(linker, library);
    connect = d.handle("chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    closeConnection = d.handle("chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
    queryN =
        d.handle(
            "chdb_query_n",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    queryWithParamsN =
        d.handle(
            "chdb_query_with_params_n",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_LONG));
    destroyResult = d.handle("chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
    resultBuffer = d.handle("chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultLength = d.handle("chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultElapsedSeconds =
        d.handle("chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
    resultRowsRead = d.handle("chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultBytesRead = d.handle("chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultStorageRowsRead =
        d.handle("chdb_result_storage_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultStorageBytesRead =
        d.handle("chdb_result_storage_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultRowsWritten =
        d.handle("chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultBytesWritten =
        d.handle("chdb_result_bytes_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultError = d.handle("chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamInsertN =
        d.handle(
            "chdb_stream_insert_n",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    streamAppend =
        d.handle(
            "chdb_stream_append", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    streamDone = d.handle("chdb_stream_done", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamInsertError =
        d.handle("chdb_stream_insert_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    destroyInsertStream =
        d.handle("chdb_destroy_insert_stream", FunctionDescriptor.ofVoid(ADDRESS));
    version = d.handle("chdb_version", FunctionDescriptor.of(ADDRESS));
    setSignalHandlersEnabled =
        d.handle("chdb_set_signal_handlers_enabled", FunctionDescriptor.ofVoid(JAVA_INT));
  }

  /** Loads the library at {@code path} once per process. Caller holds the engine lock. */
  static ChdbNative load(Path path) {
    return LOADED.computeIfAbsent(
        path.toAbsolutePath().normalize(),
        p -> new ChdbNative(SymbolLookup.libraryLookup(p, Arena.global())));
  }

  /** Reads a NUL-terminated C string, or null for a NULL pointer. */
  static String string(MemorySegment pointer) {
    if (pointer.equals(MemorySegment.NULL)) {
      return null;
    }
    return pointer.reinterpret(Long.MAX_VALUE).getString(0);
  }

  private record Downcalls(Linker linker, SymbolLookup library) {
    MethodHandle handle(String symbol, FunctionDescriptor descriptor) {
      MemorySegment address =
          library
              .find(symbol)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "libchdb.so lacks the symbol "
                              + symbol
                              + "; use the chDB build pinned by ChdbLibrary.VERSION ("
                              + ChdbLibrary.VERSION
                              + ")"));
      return linker.downcallHandle(address, descriptor);
    }
  }
}
