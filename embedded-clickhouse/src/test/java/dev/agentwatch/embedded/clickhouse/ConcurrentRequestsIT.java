package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many clients at once: every request succeeds and each sees its own writes. */
@Timeout(120)
class ConcurrentRequestsIT {

  private static final int THREADS = 8;
  private static final int REQUESTS_PER_THREAD = 50;

  @Test
  void concurrentInsertsAndSelectsAllSucceedWithCorrectResults() throws Exception {
    EmbeddedClickHouse clickHouse = EmbeddedClickHouse.shared();
    clickHouse.engine().query("CREATE DATABASE IF NOT EXISTS concurrency_it", "TabSeparated");
    clickHouse.engine().query("DROP TABLE IF EXISTS concurrency_it.writes", "TabSeparated");
    clickHouse.engine().query(
        "CREATE TABLE concurrency_it.writes (writer UInt32, seq UInt32, note String)"
            + " ENGINE = MergeTree ORDER BY (writer, seq)",
        "TabSeparated");
    URI endpoint = URI.create(clickHouse.httpUrl() + "/?database=concurrency_it");
    HttpClient http = HttpClient.newHttpClient();

    List<Future<Integer>> writers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int writer = 0; writer < THREADS; writer++) {
        int id = writer;
        writers.add(pool.submit(() -> runClient(http, endpoint, id)));
      }
      for (Future<Integer> writer : writers) {
        assertThat(writer.get(100, TimeUnit.SECONDS)).isEqualTo(REQUESTS_PER_THREAD / 2);
      }
    }

    String totals =
        clickHouse.engine()
            .query("SELECT count(), uniqExact(writer) FROM concurrency_it.writes", "TabSeparated")
            .text();
    assertThat(totals).isEqualTo((THREADS * REQUESTS_PER_THREAD / 2) + "\t" + THREADS + "\n");
  }

  /** Alternates an insert and a read of this writer's rows; returns the rows it inserted. */
  private static int runClient(HttpClient http, URI endpoint, int writer) throws Exception {
    int inserted = 0;
    for (int request = 0; request < REQUESTS_PER_THREAD; request++) {
      String body =
          request % 2 == 0
              ? "INSERT INTO writes FORMAT TabSeparated\n" + writer + "\t" + request + "\tnote\\n\\n" + request + "\n"
              : "SELECT count() FROM writes WHERE writer = " + writer;
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      if (request % 2 == 0) {
        inserted++;
      } else {
        assertThat(response.body()).isEqualTo(inserted + "\n");
      }
    }
    return inserted;
  }
}
