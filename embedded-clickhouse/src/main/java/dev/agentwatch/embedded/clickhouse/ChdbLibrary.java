package dev.agentwatch.embedded.clickhouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the native chDB library ({@code libchdb.so}, ClickHouse {@value #VERSION}) on disk, fetching
 * it once into a cache directory when needed.
 *
 * <p>Resolution order: an explicit path (must exist, otherwise start-up fails); else
 * {@code <cacheRoot>/<VERSION>/libchdb.so}; else the npm package {@value #NPM_PACKAGE} is fetched
 * with {@code npm pack} into a temporary directory inside the cache, the tarball's SHA-512 and the
 * library's SHA-256 are verified against pinned values, and the library is moved atomically into
 * place. A file lock in the cache directory keeps concurrent JVMs from fetching twice.
 *
 * <p>Thread-safe: every method is stateless apart from the file system.
 *
 * <p>{@link #main} is the pre-fetch entry point for scripts and CI: it prints the library path.
 */
public final class ChdbLibrary {

  /** The pinned chDB npm package version. */
  public static final String VERSION = "26.7.3-stable.1";

  /** The npm package that ships {@code libchdb.so} for Linux x86-64 with glibc. */
  public static final String NPM_PACKAGE = "@chdb/lib-linux-x64-gnu";

  /** The environment variable {@link #main} reads for an explicit library path. */
  public static final String LIBRARY_ENV = "AGENTWATCH_CHDB_LIBRARY";

  static final String TARBALL_SHA512 =
      "5cff7b98caa7739b59a4a432c11f0dedc2d3b073624e61ebdf4a42e66ce8de35"
          + "a6ba48ca9f62016bad1cd81fe059435cb858ce3235a8a2b408082a81563e70a7";
  static final String LIBRARY_SHA256 =
      "36ad4e999882821ef13cf2d0f52c93f48e6ee1b4498b35a201c23ce4b8d15bf5";
  static final String LIBRARY_FILE = "libchdb.so";

  private static final Logger LOG = LoggerFactory.getLogger(ChdbLibrary.class);
  private static final String HOW_TO_FIX =
      "install Node.js/npm, or set " + LIBRARY_ENV + " / the config path to an existing libchdb.so";
  private static final long NPM_TIMEOUT_MINUTES = 15;

  private ChdbLibrary() {}

  /** The default cache root, {@code ~/.cache/agentwatch/chdb}. */
  public static Path defaultCacheRoot() {
    return Path.of(System.getProperty("user.home"), ".cache", "agentwatch", "chdb");
  }

  /**
   * Returns the path of a usable {@code libchdb.so}, fetching it if necessary.
   *
   * @param explicitPath a library the caller insists on; it must exist
   * @param cacheRoot the cache root; the library lives in {@code cacheRoot/VERSION/}
   * @throws IllegalStateException with a message saying what to fix when no library can be had
   */
  public static Path resolve(Optional<Path> explicitPath, Path cacheRoot) {
    if (explicitPath.isPresent()) {
      Path explicit = explicitPath.get();
      if (!Files.isRegularFile(explicit)) {
        throw new IllegalStateException(
            "chDB library not found at the configured path "
                + explicit
                + ": point the config's library path (or "
                + LIBRARY_ENV
                + ") at an existing libchdb.so, or leave it unset to fetch "
                + NPM_PACKAGE
                + "@"
                + VERSION);
      }
      return explicit;
    }
    Path versionDir = cacheRoot.resolve(VERSION);
    Path library = versionDir.resolve(LIBRARY_FILE);
    if (Files.isRegularFile(library)) {
      return library;
    }
    try {
      Files.createDirectories(versionDir);
      try (FileChannel lockChannel =
              FileChannel.open(
                  versionDir.resolve(".fetch.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lockChannel.lock()) {
        if (Files.isRegularFile(library)) {
          return library; // another JVM fetched it while we waited for the lock
        }
        fetchInto(versionDir, library);
        return library;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the chDB library cache at " + versionDir, e);
    }
  }

  private static void fetchInto(Path versionDir, Path library) throws IOException {
    Path work = Files.createTempDirectory(versionDir, "fetch-");
    try {
      long startNanos = System.nanoTime();
      String spec = NPM_PACKAGE + "@" + VERSION;
      LOG.atInfo()
          .addKeyValue("package", spec)
          .addKeyValue("cache_dir", versionDir)
          .log("fetching chDB library (about 178 MB download, 566 MB unpacked)");
      String tarballName = run(work, "npm", "pack", "--silent", spec).strip();
      Path tarball = work.resolve(tarballName.lines().reduce((a, b) -> b).orElse(""));
      if (!Files.isRegularFile(tarball)) {
        throw new IllegalStateException(
            "npm pack " + spec + " did not produce the expected tarball (" + tarballName + ")");
      }
      LOG.atInfo()
          .addKeyValue("tarball", tarball.getFileName())
          .addKeyValue("bytes", Files.size(tarball))
          .addKeyValue("elapsed_ms", elapsedMillis(startNanos))
          .log("downloaded chDB package; verifying");
      verify(tarball, "SHA-512", TARBALL_SHA512);
      run(work, "tar", "-xzf", tarball.toString(), "-C", work.toString(), "package/" + LIBRARY_FILE);
      Path extracted = work.resolve("package").resolve(LIBRARY_FILE);
      verify(extracted, "SHA-256", LIBRARY_SHA256);
      Files.move(extracted, library, StandardCopyOption.ATOMIC_MOVE);
      LOG.atInfo()
          .addKeyValue("library", library)
          .addKeyValue("elapsed_ms", elapsedMillis(startNanos))
          .log("chDB library ready");
    } finally {
      deleteRecursively(work);
    }
  }

  private static void verify(Path file, String algorithm, String expectedHex) throws IOException {
    String actual = FileDigest.hex(file, algorithm);
    if (!actual.equals(expectedHex)) {
      throw new IllegalStateException(
          algorithm
              + " checksum mismatch for "
              + file.getFileName()
              + ": expected "
              + expectedHex
              + " but got "
              + actual
              + "; the download is corrupt or the package was republished. Delete the cache and"
              + " retry, or "
              + HOW_TO_FIX);
    }
  }

  private static String run(Path workDir, String... command) throws IOException {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run '" + command[0] + "' to fetch the chDB library: " + HOW_TO_FIX, e);
    }
    try {
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish in " + NPM_TIMEOUT_MINUTES + " minutes");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + " (see its output above): "
                + HOW_TO_FIX);
      }
      return output;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching the chDB library", e);
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  LOG.atWarn().addKeyValue("path", path).setCause(e).log("cannot delete");
                }
              });
    } catch (IOException e) {
      LOG.atWarn().addKeyValue("path", root).setCause(e).log("cannot delete");
    }
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /**
   * Pre-fetches the library and prints its path. Arguments: an optional cache root (default
   * {@link #defaultCacheRoot()}); an explicit library in {@value #LIBRARY_ENV} wins.
   */
  public static void main(String[] args) {
    Path cacheRoot = args.length > 0 ? Path.of(args[0]) : defaultCacheRoot();
    Optional<Path> explicit =
        Optional.ofNullable(System.getenv(LIBRARY_ENV)).filter(s -> !s.isBlank()).map(Path::of);
    System.out.println(resolve(explicit, cacheRoot).toAbsolutePath());
  }
}
