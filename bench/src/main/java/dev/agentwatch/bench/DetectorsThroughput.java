package dev.agentwatch.bench;

import com.clickhouse.client.api.Client;
import com.google.protobuf.ByteString;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.clickhouse.StepRowEncoder;
import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.Detectors;
import dev.agentwatch.detectors.DetectorsConfig;
import dev.agentwatch.detectors.runs.RunAssemblyConfig;
import dev.agentwatch.embedded.clickhouse.EmbeddedClickHouse;
import dev.agentwatch.embedded.kafka.EmbeddedKafka;
import dev.agentwatch.embedded.kafka.EmbeddedKafkaConfig;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.model.otlp.SpanContentFilter;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The detectors end to end on the embedded broker and chDB, driven by recorded OTLP traffic (the
 * shared OpenInference LangChain captures, replayed with fresh trace ids, one record per exported
 * request as the collector writes them). Prints, for one run on this machine:
 * <ol>
 *   <li>raw limits: the broker's consume rate of those records, and chDB's insert rate of the same
 *       spans as {@code steps} rows, in RowBinary and as the sinks write them (Native);</li>
 *   <li>throughput: spans/s from {@code otlp_spans} to steps, runs and findings in ClickHouse,
 *       all pipelines and detectors on: a cold pass of preloaded traffic (start-up and JIT
 *       warm-up: the runs one record per span, then one record per run), then the same traffic
 *       again, measured; then the same runs as a batch exporter sends them (one record per run);
 *       each measured pass's records are sent as it starts;</li>
 *   <li>latency at half that rate: a span's arrival in Kafka (the root's produce time) to its
 *       finding's arrival in ClickHouse ({@code ingested_at}), p50/p99;</li>
 *   <li>heap used (after GC, whole JVM: broker and detectors) with N open runs in RocksDB.</li>
 * </ol>
 * With each throughput figure, where the process's CPU went ({@link CpuShares}): everything runs
 * in this one JVM, so the figure is the whole stack's, on this machine's cores; and how many
 * Kafka offsets the stack wrote per span ({@link TopicTraffic}), a count that no busy neighbour
 * changes.
 * Arguments: {@code [runs=100000] [openRuns=1000000] [latencySeconds=30] [streamThreads=1] [content=removed]}:
 * {@code content} is what the collector does with prompt and completion content before Kafka,
 * {@code removed} (its default: content attributes dropped, their summaries added) or
 * {@code kept} (content capture on: the spans as recorded). Asserts nothing.
 */
public final class DetectorsThroughput {
    private static final List<String> MIX = List.of("ok", "tool_error", "loop", "ok", "tool_error", "llm_error");
    private static final String APPLICATION_ID = "bench-detectors";

    /** What a pass cost, from its start: CPU by thread group, and the Kafka offsets the stack wrote. */
    private record PassCost(Admin admin, CpuShares cpu, TopicTraffic traffic) {
        static PassCost start(Admin admin) throws Exception {
            return new PassCost(admin, CpuShares.snapshot(), TopicTraffic.snapshot(admin));
        }

        /** Lines to print: both per span of the pass, as of now. */
        List<String> perSpan(long spans) throws Exception {
            List<String> lines = new ArrayList<>(CpuShares.snapshot().since(cpu, spans));
            lines.add(TopicTraffic.snapshot(admin).since(traffic, spans, APPLICATION_ID + "-"));
            return lines;
        }
    }

    private DetectorsThroughput() {
    }

    public static void main(String[] args) throws Exception {
        // Fewer runs measure start-up: after a 40,000-run cold pass the JIT compilers still took
        // 15-29 us of CPU per span of the warm pass, 5-11 us after 100,000.
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int openRuns = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int latencySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int streamThreads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean contentKept = args.length > 4 && switch (args[4]) {
            case "kept" -> true;
            case "removed" -> false;
            default -> throw new IllegalArgumentException("content must be removed or kept, got " + args[4]);
        };
        Path work = Files.createTempDirectory("bench-detectors");
        Map<String, List<ExportTraceServiceRequest>> captures = new HashMap<>();
        for (String scenario : List.of("ok", "tool_error", "loop", "llm_error")) {
            // As the collector writes them: by default without content, with its summaries.
            captures.put(scenario, capture(scenario).stream()
                    .map(request -> contentKept ? request : SpanContentFilter.removing().apply(request)).toList());
        }
        print("machine: %d cores, max heap %d MiB; %d stream thread(s) per pipeline; content %s by the collector",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, streamThreads,
                contentKept ? "kept (content capture on)" : "removed (its default)");

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(work.resolve("kafka")).withFreePorts()
                .withDefaultPartitions(3));
             EmbeddedClickHouse chdb = EmbeddedClickHouse.shared()) {
            String bootstrap = kafka.bootstrapServers();
            TopicCreator.of(3, (short) 1).ensure(bootstrap, Topics.ALL);
            ClickHouseConfig ch = new ClickHouseConfig(chdb.httpUrl(), "bench_detectors", "default", "",
                    ClickHouseConfig.DEFAULT_BATCH_ROWS, ClickHouseConfig.DEFAULT_BATCH_AGE);
            SchemaMigrator.of(ch).migrate();
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                    new StringSerializer(), new ByteArraySerializer());
            print("sinks: batches of up to %,d rows, flushed at least every %d ms, findings every %d ms (the shipped "
                    + "defaults)", ch.batchRows(), ch.batchAge().toMillis(), ch.findingsBatchAge().toMillis());

            // 1. Preload the recorded traffic for a cold pass, and build it again for the two measured
            //    passes: one record per span, then one record per run; raw limits on the same records.
            //    A measured pass's records are sent when it starts: preloaded, the pipeline would start
            //    on them while the bench still waits for the previous pass's last rows, outside the
            //    pass's CPU and offset counts (a seventh of a pass, once).
            long t0 = System.nanoTime();
            long spans = 0;
            int records = 0;
            int findingRuns = 0;
            long eventStart = System.currentTimeMillis() * 1_000_000L - 120_000_000_000L;
            List<Step> rawSteps = new ArrayList<>();
            Traffic warm = new Traffic("bench-throughput");
            OtlpSpanMapper mapper = new OtlpSpanMapper(PriceTable.defaults());
            for (String tenant : List.of("bench-cold", "bench-throughput")) {
                int tenantIndex = tenant.equals("bench-cold") ? 5 : 1;
                for (int run = 0; run < runs; run++) {
                    String scenario = MIX.get(run % MIX.size());
                    if (tenantIndex == 1) {
                        findingRuns += scenario.equals("tool_error") || scenario.equals("loop") ? 1 : 0;
                    }
                    for (ExportTraceServiceRequest template : captures.get(scenario)) {
                        ExportTraceServiceRequest request = retrace(template, traceId(tenantIndex, run),
                                eventStart + run * 1_000_000L);
                        byte[] body = request.toByteArray();
                        if (tenantIndex == 1) {
                            spans += spanCount(request);
                            records++;
                        }
                        if (tenantIndex == 1) {
                            warm.add(traceId(tenantIndex, run), body);
                        } else {
                            send(producer, tenant, traceId(tenantIndex, run), body);
                        }
                        if (rawSteps.size() < 200_000) {
                            rawSteps.addAll(mapper.map("bench-raw", request));
                        }
                    }
                }
            }
            producer.flush();
            // The same traffic as an OTel SDK batch exporter sends it: one record per run.
            Traffic batched = new Traffic("bench-batched");
            for (int run = 0; run < runs; run++) {
                batched.add(traceId(4, run), wholeRun(captures, run, traceId(4, run), eventStart));
            }
            double produceSeconds = seconds(t0);
            print("traffic: %d runs (mix %s), %d records, %d spans (%d MiB of OTLP): preloaded for a cold pass in both "
                    + "shapes, and built for the measured passes (one record per span, then one record per run, %d MiB), "
                    + "each sent when its pass starts; in %.1f s", runs, MIX, records, spans, warm.bytes() >> 20,
                    batched.bytes() >> 20, produceSeconds);
            double consumeSeconds = consumeAll(bootstrap, records);
            print("raw limit, broker consume: %.0f records/s, %.0f spans/s", records / consumeSeconds,
                    spans / consumeSeconds);
            double insertRate = insertRate(ch.withDatabase("bench_raw"), rawSteps, true);
            print("raw limit, chDB RowBinary insert of steps rows (10k batches): %.0f rows/s", insertRate);
            // What the sinks write: the same rows as Native blocks.
            double nativeRate = insertRate(ch.withDatabase("bench_raw_native"), rawSteps, false);
            print("raw limit, chDB Native insert of steps rows (10k batches, as the sinks write): %.0f rows/s", nativeRate);
            // Not part of the stack under test: 200,000 steps kept live would make every old-generation
            // collection of the measured passes mark and copy them.
            rawSteps.clear();
            // The cold pass's second half: the same runs, one record per run. Sent after the broker's
            // raw consume rate is taken, which counts records of one span each. Both shapes warm up,
            // so that neither measured pass runs code the JIT compilers have not yet seen:
            // compilation went on at 0.4 s a second 50 s into a bench whose cold pass had one shape.
            for (int run = 0; run < runs; run++) {
                send(producer, "bench-cold-batched", traceId(6, run), wholeRun(captures, run, traceId(6, run), eventStart));
            }
            producer.flush();

            // 2. Throughput: everything on, from the preloaded topic to ClickHouse.
            DetectionConfig detection = DetectionConfig.defaults().withRuns(new RunAssemblyConfig(Duration.ofMinutes(30),
                    Duration.ofHours(1), Duration.ofMinutes(10), 1000, Duration.ofSeconds(1)));
            DetectorsConfig config = new DetectorsConfig(bootstrap, APPLICATION_ID, work.resolve("streams"),
                    "exactly_once_v2", streamThreads, ch, "bench-1", detection);
            long started = System.nanoTime();
            try (Detectors detectors = Detectors.start(config);
                 Client client = ClickHouseClients.create(ch);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                double startupSeconds = seconds(started);
                awaitCount(client, "SELECT count() FROM steps WHERE tenant = 'bench-cold'", spans);
                awaitCount(client, "SELECT count() FROM runs WHERE tenant = 'bench-cold'", runs);
                awaitCount(client, "SELECT count() FROM steps WHERE tenant = 'bench-cold-batched'", spans);
                awaitCount(client, "SELECT count() FROM runs WHERE tenant = 'bench-cold-batched'", runs);
                double coldSeconds = seconds(started);
                print("throughput, cold (start-up %.1f s and JIT warm-up included): %d spans, one record per span then "
                        + "one per run -> steps and runs in ClickHouse after %.1f s: %.0f spans/s", startupSeconds,
                        2 * spans, coldSeconds, 2 * spans / coldSeconds);
                long warmStarted = System.nanoTime();
                PassCost warmCost = PassCost.start(admin);
                warm.sendAndForget(producer);
                awaitCount(client, "SELECT count() FROM steps WHERE tenant = 'bench-throughput'", spans);
                double stepsSeconds = seconds(warmStarted);
                awaitCount(client, "SELECT count() FROM runs WHERE tenant = 'bench-throughput'", runs);
                awaitCount(client, "SELECT count() FROM findings WHERE tenant = 'bench-throughput'", findingRuns);
                double allSeconds = seconds(warmStarted);
                List<String> warmShares = warmCost.perSpan(spans);
                double rate = spans / allSeconds;
                print("throughput, warm: %d spans -> steps in ClickHouse after %.1f s, runs and %d findings after %.1f s: "
                                + "%.0f spans/s end to end", spans, stepsSeconds, findingRuns, allSeconds, rate);
                warmShares.forEach(line -> print("%s", line));
                print("  findings by detector: %s", client.queryAll("SELECT arrayStringConcat(groupArray(concat(detector, "
                        + "'=', toString(c))), ', ') AS g FROM (SELECT detector, count() c FROM findings FINAL "
                        + "WHERE tenant = 'bench-throughput' GROUP BY detector ORDER BY detector)").getFirst().getString("g"));

                // 2b. The batch exporter's shape.
                long batchedStart = System.nanoTime();
                PassCost batchedCost = PassCost.start(admin);
                batched.sendAndForget(producer);
                awaitCount(client, "SELECT count() FROM steps WHERE tenant = 'bench-batched'", spans);
                awaitCount(client, "SELECT count() FROM runs WHERE tenant = 'bench-batched'", runs);
                awaitCount(client, "SELECT count() FROM findings WHERE tenant = 'bench-batched'", findingRuns);
                double batchedSeconds = seconds(batchedStart);
                List<String> batchedShares = batchedCost.perSpan(spans);
                print("throughput, warm, one record per run (batch exporter): %d spans in %d records -> steps, runs and "
                        + "findings in ClickHouse in %.1f s: %.0f spans/s end to end", spans, runs, batchedSeconds,
                        spans / batchedSeconds);
                batchedShares.forEach(line -> print("%s", line));
                if (latencySeconds == 0) {
                    return;
                }

                // 3. Latency at half the measured rate: tool_error runs, each ends in one finding.
                List<ExportTraceServiceRequest> toolError = captures.get("tool_error");
                int spansPerRun = toolError.stream().mapToInt(DetectorsThroughput::spanCount).sum();
                double runsPerSecond = rate / 2 / spansPerRun;
                Map<String, Long> rootSentMillis = new HashMap<>();
                long begin = System.nanoTime();
                int sent = 0;
                while (System.nanoTime() - begin < latencySeconds * 1_000_000_000L) {
                    long due = begin + (long) (sent / runsPerSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String trace = traceId(2, sent);
                    long now = System.currentTimeMillis() * 1_000_000L;
                    for (ExportTraceServiceRequest template : toolError) {
                        send(producer, "bench-latency", trace, retrace(template, trace, now).toByteArray());
                    }
                    rootSentMillis.put(trace, System.currentTimeMillis());
                    sent++;
                }
                producer.flush();
                awaitCount(client, "SELECT count() FROM findings WHERE tenant = 'bench-latency'", sent);
                List<Long> latencies = new ArrayList<>();
                client.queryAll("SELECT run_id, toUnixTimestamp64Milli(min(ingested_at)) AS at FROM findings "
                        + "WHERE tenant = 'bench-latency' GROUP BY run_id").forEach(row -> {
                            Long sentAt = rootSentMillis.get(row.getString("run_id"));
                            if (sentAt != null) {
                                latencies.add(row.getLong("at") - sentAt);
                            }
                        });
                latencies.sort(Comparator.naturalOrder());
                print("latency at %.0f spans/s (%.0f runs/s, %d runs, %d s): span in Kafka -> finding in ClickHouse "
                                + "p50 %d ms, p99 %d ms, max %d ms", runsPerSecond * spansPerRun, runsPerSecond, sent,
                        latencySeconds, percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.getLast());

                if (openRuns == 0) {
                    return;
                }
                // 4. Heap with open runs: one non-root span each, so every run stays open in RocksDB.
                ExportTraceServiceRequest oneSpan = onlyFirstSpan(captures.get("ok"));
                long openStart = System.nanoTime();
                long now = System.currentTimeMillis() * 1_000_000L;
                for (int run = 0; run < openRuns; run++) {
                    String trace = traceId(3, run);
                    send(producer, "bench-open", trace, retrace(oneSpan, trace, now + run * 1_000L).toByteArray());
                }
                producer.flush();
                awaitCount(client, "SELECT count() FROM steps WHERE tenant = 'bench-open'", openRuns);
                // The steps sink is one consumer among several; let the run assembler catch up too.
                Thread.sleep(10_000);
                print("open runs: %d one-span runs through normalize, steps sink and run assembly in %.1f s; "
                                + "runs closed meanwhile: %d", openRuns, seconds(openStart),
                        detectors.detectorMetrics().total("agentwatch.detectors.runs.closed"));
                // Read right after each full GC: what is live, not what the running threads have
                // allocated since (a read 500 ms later counted young garbage, hundreds of MiB).
                long heap = Long.MAX_VALUE;
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    Thread.sleep(500);
                }
                print("heap live after a full GC with %d open runs: %d MiB (whole JVM: embedded broker, detectors, "
                                + "sinks); runs state on disk: %d MiB", openRuns, heap >> 20,
                        directorySize(work.resolve("streams").resolve("runs")) >> 20);
            }
            producer.close();
        }
    }

    /**
     * A measured pass's records, built before it starts. Its pass counts the broker appending them
     * and the bench producing them (other Java threads), as a collector's traffic would cost the
     * broker. The bodies wait in a few large chunks, not as hundreds of thousands of live arrays
     * that the collections of the passes before would mark and copy.
     */
    private static final class Traffic {
        private static final int CHUNK_BYTES = 32 << 20;
        private final String tenant;
        private final List<String> traceIds = new ArrayList<>();
        private final List<byte[]> chunks = new ArrayList<>();
        /** Per record: its chunk, its offset in it and its length. */
        private int[] places = new int[3 * 1024];
        private int count;
        private int used = CHUNK_BYTES;
        private long bytes;

        Traffic(String tenant) {
            this.tenant = tenant;
        }

        void add(String traceId, byte[] body) {
            if (used + body.length > CHUNK_BYTES) {
                chunks.add(new byte[Math.max(CHUNK_BYTES, body.length)]);
                used = 0;
            }
            System.arraycopy(body, 0, chunks.getLast(), used, body.length);
            if (3 * count + 3 > places.length) {
                places = Arrays.copyOf(places, 2 * places.length);
            }
            places[3 * count] = chunks.size() - 1;
            places[3 * count + 1] = used;
            places[3 * count + 2] = body.length;
            count++;
            used += body.length;
            traceIds.add(traceId);
            bytes += body.length;
        }

        long bytes() {
            return bytes;
        }

        /** Sends every record and lets go of them, so they do not stay live through later passes. */
        void sendAndForget(KafkaProducer<String, byte[]> producer) {
            for (int i = 0; i < count; i++) {
                int offset = places[3 * i + 1];
                send(producer, tenant, traceIds.get(i),
                        Arrays.copyOfRange(chunks.get(places[3 * i]), offset, offset + places[3 * i + 2]));
            }
            producer.flush();
            traceIds.clear();
            chunks.clear();
            count = 0;
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String tenant, String traceId, byte[] body) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), traceId, body);
        record.headers().add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    private static double consumeAll(String bootstrap, int records) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-consume",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OTLP_SPANS.name()));
            long start = System.nanoTime();
            long seen = 0;
            while (seen < records) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                seen += batch.count();
            }
            return seconds(start);
        }
    }

    private static double insertRate(ClickHouseConfig config, List<Step> steps, boolean rowBinary) {
        SchemaMigrator.of(config).migrate();
        try (Client client = ClickHouseClients.create(config)) {
            ClickHouseBatchWriter<Step> writer = rowBinary ? ClickHouseBatchWriter.rowBinary(client, new StepRowEncoder())
                    : new ClickHouseBatchWriter<>(client, new StepRowEncoder());
            long start = System.nanoTime();
            for (int i = 0; i < steps.size(); i += 10_000) {
                writer.write(steps.subList(i, Math.min(steps.size(), i + 10_000)));
            }
            return steps.size() / seconds(start);
        }
    }

    private static void awaitCount(Client client, String sql, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = client.queryAll(sql).getFirst().getLong(1);
            if (last >= expected) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gave up waiting: " + sql + " at " + last + " of " + expected);
    }

    static List<ExportTraceServiceRequest> capture(String scenario) throws IOException {
        Path folder = sharedReference().resolve("captures/openinference_langchain").resolve(scenario);
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = new ArrayList<>(list.filter(p -> p.getFileName().toString().matches("req-\\d+\\.bin")).toList());
        }
        files.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))));
        List<ExportTraceServiceRequest> requests = new ArrayList<>();
        for (Path file : files) {
            requests.add(ExportTraceServiceRequest.parseFrom(Files.readAllBytes(file)));
        }
        return requests;
    }

    private static Path sharedReference() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("shared/reference"))) {
                return d.resolve("shared/reference");
            }
        }
        throw new IllegalStateException("no shared/reference folder above " + Path.of("").toAbsolutePath());
    }

    /** The template with every span moved to {@code traceId} and its times shifted to start at {@code startNanos}. */
    static ExportTraceServiceRequest retrace(ExportTraceServiceRequest template, String traceId, long startNanos) {
        ByteString trace = ByteString.fromHex(traceId);
        long first = Long.MAX_VALUE;
        for (ResourceSpans rs : template.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    first = Math.min(first, s.getStartTimeUnixNano());
                }
            }
        }
        long shift = startNanos - first;
        ExportTraceServiceRequest.Builder request = template.toBuilder();
        for (ResourceSpans.Builder rs : request.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                for (Span.Builder s : ss.getSpansBuilderList()) {
                    s.setTraceId(trace).setStartTimeUnixNano(s.getStartTimeUnixNano() + shift)
                            .setEndTimeUnixNano(s.getEndTimeUnixNano() + shift);
                }
            }
        }
        return request.build();
    }

    private static ExportTraceServiceRequest onlyFirstSpan(List<ExportTraceServiceRequest> requests) {
        for (ExportTraceServiceRequest request : requests) {
            for (ResourceSpans rs : request.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        if (!s.getParentSpanId().isEmpty()) {
                            return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs.toBuilder().clearScopeSpans()
                                    .addScopeSpans(ss.toBuilder().clearSpans().addSpans(s))).build();
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no child span in the capture");
    }

    /** One run's captured requests as one request, as a batch exporter sends a short run. */
    private static byte[] wholeRun(Map<String, List<ExportTraceServiceRequest>> captures, int run, String traceId,
                                   long eventStart) {
        ExportTraceServiceRequest.Builder whole = ExportTraceServiceRequest.newBuilder();
        for (ExportTraceServiceRequest template : captures.get(MIX.get(run % MIX.size()))) {
            whole.addAllResourceSpans(retrace(template, traceId, eventStart + run * 1_000_000L).getResourceSpansList());
        }
        return whole.build().toByteArray();
    }

    private static int spanCount(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
                .mapToInt(ScopeSpans::getSpansCount).sum();
    }

    static String traceId(int phase, int run) {
        return String.format("%08x%08x%016x", 0xbe7c4000 + phase, phase, run + 1L);
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static long directorySize(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

}
