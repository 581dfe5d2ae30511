package dev.agentwatch.detectors.it;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.detectors.Detectors;
import dev.agentwatch.detectors.DetectorsConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The detectors alone in a JVM of their own, for tests that kill them:
 * {@code DetectorsProcess BOOTSTRAP CLICKHOUSE_URL DATABASE APPLICATION_ID STATE_DIR INSTANCE_ID}.
 * Prints {@code DETECTORS RUNNING} once the streams run, then works until killed.
 */
public final class DetectorsProcess {
    public static final String READY = "DETECTORS RUNNING";

    private DetectorsProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        ClickHouseConfig clickHouse = new ClickHouseConfig(args[1], args[2], "default", "", 10_000, Duration.ofMillis(200));
        Detectors detectors = Detectors.start(new DetectorsConfig(args[0], args[3], Path.of(args[4]), "exactly_once_v2", 1,
                clickHouse, args[5]));
        Runtime.getRuntime().addShutdownHook(new Thread(detectors::close));
        System.out.println(READY + " " + detectors.states());
        System.out.flush();
        Thread.currentThread().join();
    }
}
