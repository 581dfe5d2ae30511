package dev.agentwatch.bench;

import dev.agentwatch.collector.ApiKeys;
import dev.agentwatch.collector.Collector;
import dev.agentwatch.collector.CollectorConfig;
import dev.agentwatch.collector.CollectorMetrics;
import dev.agentwatch.collector.KafkaPublisher;
import dev.agentwatch.collector.KafkaPublisher.Payload;
import dev.agentwatch.collector.TraceSplitter;
import dev.agentwatch.embedded.kafka.EmbeddedKafka;
import dev.agentwatch.embedded.kafka.EmbeddedKafkaConfig;
import dev.agentwatch.model.otlp.SpanContentFilter;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collector throughput and latency, end to end into Kafka (the embedded broker, acks=all):
 * <ol>
 *   <li>raw: the same span bytes, split per trace exactly as the collector writes them, produced
 *       with the collector's own {@link KafkaPublisher} (same producer settings), N batches in
 *       flight: the ceiling the collector is measured against;</li>
 *   <li>collector at full load: a load generator in a separate JVM ({@link OtlpLoadGenerator})
 *       posts 512-span OTLP/HTTP protobuf batches with N concurrent senders; only answers 200
 *       (after Kafka acknowledged) count;</li>
 *   <li>collector at half that load, open loop: p50/p99 request latency.</li>
 * </ol>
 * Prints figures; asserts nothing. Run:
 * {@code bench/run CollectorThroughput [seconds=15] [senders=8] [no-content|content]}: by default
 * the spans carry ~20 attributes and no prompt or completion content (the shape);
 * {@code content} puts content on every span, which the collector removes and summarizes.
 */
public final class CollectorThroughput {
    private static final Pattern RESULT = Pattern.compile(
            "RESULT mode=\\S+ ok=(\\d+) failed=(\\d+) seconds=(\\d+) p50_ms=([\\d.]+) p99_ms=([\\d.]+) max_ms=([\\d.]+)");
    private static final String KEY = "bench-key";

    private CollectorThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int senders = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        boolean content = args.length > 2 && switch (args[2]) {
            case "content" -> true;
            case "no-content" -> false;
            default -> throw new IllegalArgumentException("the third argument is no-content or content, got " + args[2]);
        };
        Path dir = Files.createTempDirectory("agentwatch-bench-collector");
        List<byte[]> batches = OtlpBatches.create(64, 42, content);
        Path batchFile = dir.resolve("batches.bin");
        write(batches, batchFile);
        long bytesPerBatch = batches.stream().mapToLong(b -> b.length).sum() / batches.size();
        System.out.printf("payload: %d distinct batches of %d spans (%d traces x %d), %.1f KiB each, ~20 attributes a span, %s%n",
                batches.size(), OtlpBatches.SPANS_PER_BATCH, OtlpBatches.SPANS_PER_BATCH / OtlpBatches.SPANS_PER_TRACE,
                OtlpBatches.SPANS_PER_TRACE, bytesPerBatch / 1024.0,
                content ? "with prompt/completion/tool content (removed by the collector)" : "without content");
        System.out.printf("machine: %d cores available to this JVM (shared with other work: figures are noisy)%n",
                Runtime.getRuntime().availableProcessors());

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(dir.resolve("kafka")).withFreePorts())) {
            String bootstrap = kafka.bootstrapServers();
            TopicCreator.of(3, (short) 1).ensure(bootstrap, Topics.ALL);

            double raw = rawProducerSpansPerSecond(bootstrap, batches, seconds, senders);
            System.out.printf("raw producer (same records, KafkaPublisher, %d batches in flight): %,.0f spans/s%n", senders, raw);

            CollectorConfig config = CollectorConfig.of(bootstrap, Map.of(ApiKeys.hash(KEY), "bench"))
                    .withPorts(0, CollectorConfig.NO_GRPC);
            try (Collector collector = Collector.start(config)) {
                String url = "http://127.0.0.1:" + collector.httpPort() + "/v1/traces";
                Result full = loadGenerator("max", url, batchFile, seconds, senders);
                double fullRate = full.ok() * (double) OtlpBatches.SPANS_PER_BATCH / full.seconds();
                System.out.printf("collector, full load (%d senders, separate JVM): %,.0f spans/s accepted end to end "
                                + "(%d requests ok, %d failed; p50 %.1f ms, p99 %.1f ms)%n", senders, fullRate, full.ok(),
                        full.failed(), full.p50Millis(), full.p99Millis());
                System.out.printf("collector / raw producer: %.0f %%%n", 100 * fullRate / raw);

                double halfRequestsPerSecond = fullRate / 2 / OtlpBatches.SPANS_PER_BATCH;
                Result half = loadGenerator("rate", url, batchFile, seconds, halfRequestsPerSecond);
                System.out.printf("collector, half load (%,.0f spans/s offered, open loop): %d ok, %d failed; "
                                + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", halfRequestsPerSecond * OtlpBatches.SPANS_PER_BATCH,
                        half.ok(), half.failed(), half.p50Millis(), half.p99Millis(), half.maxMillis());
                System.out.printf("collector counters: spans accepted %,d, rejected %,d, kafka errors %d%n",
                        collector.metrics().spansAccepted(), collector.metrics().spansRejected("kafka_unavailable")
                                + collector.metrics().spansRejected("invalid_id"), collector.metrics().kafkaErrors());
            }
        }
    }

    /** The collector's Kafka writes without HTTP: each sender publishes a batch's per-trace records and waits. */
    private static double rawProducerSpansPerSecond(String bootstrap, List<byte[]> batches, int seconds, int senders)
            throws Exception {
        List<List<Payload>> records = new ArrayList<>();
        TraceSplitter splitter = new TraceSplitter();
        SpanContentFilter filter = SpanContentFilter.removing();
        for (byte[] batch : batches) {
            List<Payload> payloads = new ArrayList<>();
            for (var trace : splitter.split(filter.apply(ExportTraceServiceRequest.parseFrom(batch))).traces()) {
                payloads.add(new Payload(trace.traceIdHex(), trace.request().toByteArray()));
            }
            records.add(payloads);
        }
        AtomicLong spans = new AtomicLong();
        try (KafkaPublisher publisher = new KafkaPublisher(bootstrap, 10_000, new CollectorMetrics())) {
            long warmupEnd = System.nanoTime() + 3_000_000_000L;
            long end = warmupEnd + seconds * 1_000_000_000L;
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < senders; s++) {
                    int sender = s;
                    executor.submit(() -> {
                        int i = sender;
                        while (System.nanoTime() < end) {
                            long sent = System.nanoTime();
                            publisher.publishSpans("bench", records.get(i++ % records.size())).join();
                            if (sent >= warmupEnd && System.nanoTime() <= end) {
                                spans.addAndGet(OtlpBatches.SPANS_PER_BATCH);
                            }
                        }
                        return null;
                    });
                }
            }
        }
        return spans.get() / (double) seconds;
    }

    private record Result(long ok, long failed, int seconds, double p50Millis, double p99Millis, double maxMillis) {
    }

    private static Result loadGenerator(String mode, String url, Path batches, int seconds, double parameter)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                OtlpLoadGenerator.class.getName(), mode, url, KEY, batches.toString(), Integer.toString(seconds), "3",
                Double.toString(parameter))
                .redirectErrorStream(true)
                .start();
        Result result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher m = RESULT.matcher(line);
                if (m.find()) {
                    result = new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)),
                            Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)));
                } else if (!line.isBlank() && !line.startsWith("WARNING")) {
                    System.out.println("  [load generator] " + line);
                }
            }
        }
        int exit = process.waitFor();
        if (result == null || exit != 0) {
            throw new IllegalStateException("load generator exited " + exit + " without a RESULT line");
        }
        return result;
    }

    private static void write(List<byte[]> batches, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(batches.size());
            for (byte[] batch : batches) {
                out.writeInt(batch.length);
                out.write(batch);
            }
        }
    }
}
