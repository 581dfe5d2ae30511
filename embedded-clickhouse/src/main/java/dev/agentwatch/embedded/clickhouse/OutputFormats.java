package dev.agentwatch.embedded.clickhouse;

import java.util.Locale;

/** The HTTP {@code Content-Type} the ClickHouse server sends for each output format. */
final class OutputFormats {

  static final String DEFAULT_FORMAT = "TabSeparated";

  private OutputFormats() {}

  static String contentType(String format) {
    String name = format.toLowerCase(Locale.ROOT);
    if (name.startsWith("tabseparated") || name.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (name.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=" + (name.contains("withnames") ? "present" : "absent");
    }
    if (name.endsWith("eachrow") || name.equals("jsonlines") || name.equals("ndjson")) {
      return "application/x-ndjson; charset=UTF-8";
    }
    if (name.startsWith("json")) {
      return "application/json; charset=UTF-8";
    }
    if (name.equals("xml")) {
      return "application/xml; charset=UTF-8";
    }
    if (name.startsWith("rowbinary")
        || name.startsWith("native")
        || name.startsWith("parquet")
        || name.startsWith("arrow")
        || name.startsWith("orc")
        || name.startsWith("avro")
        || name.startsWith("protobuf")
        || name.startsWith("bson")
        || name.equals("capnproto")
        || name.equals("msgpack")
        || name.equals("npy")
        || name.equals("rawblob")) {
      return "application/octet-stream";
    }
    return "text/plain; charset=UTF-8";
  }
}
