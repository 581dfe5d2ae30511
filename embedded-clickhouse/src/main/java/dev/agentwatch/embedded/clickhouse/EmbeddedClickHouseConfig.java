package dev.agentwatch.embedded.clickhouse;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of an {@link EmbeddedClickHouse}: where the engine persists, where HTTP listens, who may
 * connect, and where the native library comes from. Validated on construction, with messages that
 * say what to fix.
 *
 * @param dataDir the engine's persistent data directory (created if missing)
 * @param host the address the HTTP interface binds to, e.g. {@code 127.0.0.1}
 * @param httpPort the HTTP port, 0 for an ephemeral one
 * @param user the only user the HTTP interface accepts
 * @param password that user's password; may be empty
 * @param libraryPath an existing {@code libchdb.so} to use instead of the cache
 * @param libraryCacheRoot where {@link ChdbLibrary} caches the fetched library
 * @param maxRequestBytes the largest request body accepted, after decompression; larger gets 413
 */
public record EmbeddedClickHouseConfig(
    Path dataDir,
    String host,
    int httpPort,
    String user,
    String password,
    Optional<Path> libraryPath,
    Path libraryCacheRoot,
    long maxRequestBytes) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 8123;
  public static final long DEFAULT_MAX_REQUEST_BYTES = 256L << 20;

  public EmbeddedClickHouseConfig {
    Objects.requireNonNull(dataDir, "dataDir: set the directory the engine persists to");
    Objects.requireNonNull(libraryPath, "libraryPath: use Optional.empty() to use the cache");
    Objects.requireNonNull(libraryCacheRoot, "libraryCacheRoot: set a writable cache directory");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be an address to bind, e.g. 127.0.0.1");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException(
          "httpPort must be 0 (ephemeral) to 65535, but was " + httpPort);
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user must be a non-empty name, e.g. 'default'");
    }
    Objects.requireNonNull(password, "password: use an empty string for no password");
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be at least 1024 bytes, but was " + maxRequestBytes);
    }
  }

  /**
   * As the canonical constructor with the default request limit ({@value #DEFAULT_MAX_REQUEST_BYTES}
   * bytes); a null {@code libraryCacheRoot} means {@link ChdbLibrary#defaultCacheRoot()}.
   */
  public EmbeddedClickHouseConfig(
      Path dataDir,
      String host,
      int httpPort,
      String user,
      String password,
      Optional<Path> libraryPath,
      Path libraryCacheRoot) {
    this(
        dataDir,
        host,
        httpPort,
        user,
        password,
        libraryPath,
        libraryCacheRoot == null ? ChdbLibrary.defaultCacheRoot() : libraryCacheRoot,
        DEFAULT_MAX_REQUEST_BYTES);
  }

  /**
   * Defaults for {@code dataDir}: {@code 127.0.0.1:8123}, user {@code default} without password,
   * the library from {@link ChdbLibrary#defaultCacheRoot()}, 256 MiB requests.
   */
  public static EmbeddedClickHouseConfig defaults(Path dataDir) {
    return new EmbeddedClickHouseConfig(
        dataDir,
        DEFAULT_HOST,
        DEFAULT_HTTP_PORT,
        HttpCredentials.DEFAULT_USER,
        "",
        Optional.empty(),
        ChdbLibrary.defaultCacheRoot(),
        DEFAULT_MAX_REQUEST_BYTES);
  }

  public EmbeddedClickHouseConfig withHttpPort(int port) {
    return new EmbeddedClickHouseConfig(
        dataDir, host, port, user, password, libraryPath, libraryCacheRoot, maxRequestBytes);
  }

  public EmbeddedClickHouseConfig withCredentials(String newUser, String newPassword) {
    return new EmbeddedClickHouseConfig(
        dataDir, host, httpPort, newUser, newPassword, libraryPath, libraryCacheRoot,
        maxRequestBytes);
  }

  public EmbeddedClickHouseConfig withLibraryPath(Path path) {
    return new EmbeddedClickHouseConfig(
        dataDir, host, httpPort, user, password, Optional.of(path), libraryCacheRoot,
        maxRequestBytes);
  }

  public EmbeddedClickHouseConfig withLibraryCacheRoot(Path cacheRoot) {
    return new EmbeddedClickHouseConfig(
        dataDir, host, httpPort, user, password, libraryPath, cacheRoot, maxRequestBytes);
  }

  public EmbeddedClickHouseConfig withMaxRequestBytes(long bytes) {
    return new EmbeddedClickHouseConfig(
        dataDir, host, httpPort, user, password, libraryPath, libraryCacheRoot, bytes);
  }

  /** Redacts the password, so the config can be logged. */
  @Override
  public String toString() {
    return "EmbeddedClickHouseConfig[dataDir="
        + dataDir
        + ", host="
        + host
        + ", httpPort="
        + httpPort
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "<empty>" : "***")
        + ", libraryPath="
        + libraryPath.map(Path::toString).orElse("<cache>")
        + ", libraryCacheRoot="
        + libraryCacheRoot
        + ", maxRequestBytes="
        + maxRequestBytes
        + "]";
  }
}
