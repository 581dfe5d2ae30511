package dev.agentwatch.embedded.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** Waits until a broker answers an Admin {@code describeCluster} with at least one live node. */
final class BrokerReadiness {

    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private BrokerReadiness() {
    }

    /**
     * @throws TimeoutException if the deadline passes first; the message names the last failure
     */
    static void await(String bootstrapServers, long deadlineNanos) throws TimeoutException, InterruptedException {
        Map<String, Object> adminProps = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "agentwatch-embedded-kafka-readiness");
        Throwable lastFailure = null;
        Admin admin = Admin.create(adminProps);
        try {
            long remainingMillis;
            while ((remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())) > 0) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                                    .timeoutMs((int) Math.min(Integer.MAX_VALUE, remainingMillis)))
                            .nodes().get(remainingMillis, TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                    lastFailure = null;
                } catch (ExecutionException e) {
                    lastFailure = e.getCause();
                } catch (TimeoutException e) {
                    lastFailure = e;
                }
                // Admin already retries within one call; this only paces a fast failure or an empty answer.
                LockSupport.parkNanos(RETRY_PAUSE_NANOS);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for the broker at " + bootstrapServers);
                }
            }
        } finally {
            admin.close(Duration.ZERO);
        }
        throw new TimeoutException("broker at " + bootstrapServers + " did not answer describeCluster before the deadline"
                + (lastFailure == null ? " (it answered with no live brokers)" : "; last error: " + lastFailure));
    }
}
