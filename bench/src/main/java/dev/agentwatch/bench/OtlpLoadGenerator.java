package dev.agentwatch.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of {@link CollectorThroughput}, run in its own JVM so that its CPU is not
 * the collector's: posts pre-encoded OTLP/HTTP protobuf batches and prints one {@code RESULT}
 * line. Modes: {@code max} (closed loop, N concurrent senders, as fast as answers come) and
 * {@code rate} (open loop at a fixed request rate; latency counted from each request's
 * scheduled time, so a stalled server cannot hide its queueing).
 *
 * <p>Arguments: {@code mode url apiKey batchesFile seconds warmupSeconds concurrencyOrRatePerSecond}.
 */
public final class OtlpLoadGenerator {
    private OtlpLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI url = URI.create(args[1]);
        String key = args[2];
        List<byte[]> batches = read(Path.of(args[3]));
        int seconds = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        double parameter = Double.parseDouble(args[6]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            if (mode.equals("max")) {
                for (int c = 0; c < (int) parameter; c++) {
                    int sender = c;
                    executor.submit(() -> {
                        int i = sender;
                        while (System.nanoTime() < end) {
                            long sent = System.nanoTime();
                            boolean success = post(client, url, key, batches.get(i++ % batches.size()));
                            long done = System.nanoTime();
                            if (sent >= measureFrom && done <= end) {
                                (success ? ok : failed).incrementAndGet();
                                latencies.add(done - sent);
                            }
                        }
                        return null;
                    });
                }
            } else {
                long intervalNanos = (long) (1e9 / parameter);
                for (long i = 0; ; i++) {
                    long scheduled = start + i * intervalNanos;
                    if (scheduled >= end) {
                        break;
                    }
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    byte[] batch = batches.get((int) (i % batches.size()));
                    executor.submit(() -> {
                        boolean success = post(client, url, key, batch);
                        long done = System.nanoTime();
                        if (scheduled >= measureFrom) {
                            (success ? ok : failed).incrementAndGet();
                            latencies.add(done - scheduled);
                        }
                        return null;
                    });
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("RESULT mode=%s ok=%d failed=%d seconds=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", mode,
                ok.get(), failed.get(), seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1e6);
    }

    private static boolean post(HttpClient client, URI url, String key, byte[] body) {
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/x-protobuf")
                    .header("Authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static List<byte[]> read(Path file) throws IOException {
        List<byte[]> batches = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            int count = data.readInt();
            for (int i = 0; i < count; i++) {
                byte[] batch = new byte[data.readInt()];
                data.readFully(batch);
                batches.add(batch);
            }
        }
        return batches;
    }

    static String describe(List<byte[]> batches) {
        return batches.size() + " batches, " + Arrays.stream(batches.stream().mapToInt(b -> b.length).toArray()).average()
                .orElse(0) / 1024 + " KiB each on average";
    }
}
