/**
 * An embedded ClickHouse: the chDB engine ({@code libchdb.so}, loaded with the FFM API) served on
 * the ClickHouse HTTP interface, so unmodified ClickHouse clients work against it.
 *
 * <p>Entry points: {@link dev.agentwatch.embedded.clickhouse.EmbeddedClickHouse} (engine plus
 * HTTP, and the JVM-wide {@code shared()} instance for tests), {@link
 * dev.agentwatch.embedded.clickhouse.Chdb} (the engine alone), {@link
 * dev.agentwatch.embedded.clickhouse.ChdbLibrary} (obtaining the native library; its {@code main}
 * pre-fetches it for CI).
 *
 * <p>chDB facts this package relies on (chDB 26.7.3): one engine per process, bound to one data
 * path; each connection is a session ({@code USE} and {@code SET} persist on it); close and
 * reconnect in one process reboots the engine and keeps the data; inline INSERT data passed to
 * {@code chdb_query_n} is cut at the first blank line, so insert data always goes through the
 * streaming-insert API.
 */
package dev.agentwatch.embedded.clickhouse;
