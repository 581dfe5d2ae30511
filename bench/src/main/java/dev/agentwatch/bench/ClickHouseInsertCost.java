package dev.agentwatch.bench;

import static dev.agentwatch.bench.DetectorsThroughput.print;

import com.clickhouse.client.api.Client;
import com.sun.management.OperatingSystemMXBean;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.clickhouse.StepRowEncoder;
import dev.agentwatch.embedded.clickhouse.EmbeddedClickHouse;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What one insert into the embedded ClickHouse costs, apart from its rows: the same
 * {@code steps} rows (the shared captures, as the collector writes them) inserted in batches of
 * different sizes, each into a fresh database. For each size, the process CPU while inserting and
 * while ClickHouse merges the parts afterwards, per insert and per row. The sinks flush on
 * {@code clickhouse.batch.rows} or {@code clickhouse.batch.age.ms}, whichever comes first; this
 * is what that choice costs. Arguments: {@code [rows=200000] [sizes=100,1000,10000,50000]
 * [format=native]}: {@code native} as the sinks write (a Native block per batch), {@code rowbinary}
 * to compare. Asserts nothing.
 */
public final class ClickHouseInsertCost {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ClickHouseInsertCost() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        List<Integer> sizes = (args.length > 1 ? List.of(args[1].split(",")) : List.of("100", "1000", "10000", "50000"))
                .stream().map(Integer::parseInt).toList();
        String format = args.length > 2 ? args[2] : "native";
        BiFunction<Client, StepRowEncoder, ClickHouseBatchWriter<Step>> writers = switch (format) {
            case "native" -> ClickHouseBatchWriter::new;
            case "rowbinary" -> ClickHouseBatchWriter::rowBinary;
            default -> throw new IllegalArgumentException("format must be native or rowbinary, got " + format);
        };
        List<Step> steps = steps(total);
        print("machine: %d cores; %d steps rows per batch size, format %s", Runtime.getRuntime().availableProcessors(),
                steps.size(), format);
        try (EmbeddedClickHouse chdb = EmbeddedClickHouse.shared()) {
            measure(chdb, steps, sizes, writers);
        }
    }

    private static void measure(EmbeddedClickHouse chdb, List<Step> steps, List<Integer> sizes,
                                BiFunction<Client, StepRowEncoder, ClickHouseBatchWriter<Step>> writers) throws Exception {
        for (int round = 0; round < 2; round++) {
            // The first round warms the JIT and chDB up; the second is printed.
            for (int size : sizes) {
                ClickHouseConfig config = new ClickHouseConfig(chdb.httpUrl(), "bench_insert_" + round + "_" + size,
                        "default", "", size, Duration.ofSeconds(1));
                SchemaMigrator.of(config).migrate();
                try (Client client = ClickHouseClients.create(config)) {
                    ClickHouseBatchWriter<Step> writer = writers.apply(client, new StepRowEncoder());
                    long cpu0 = OS.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    int inserts = 0;
                    for (int i = 0; i < steps.size(); i += size) {
                        writer.write(steps.subList(i, Math.min(steps.size(), i + size)));
                        inserts++;
                    }
                    double wall = (System.nanoTime() - wall0) / 1e9;
                    long cpu1 = OS.getProcessCpuTime();
                    long insertCpu = cpu1 - cpu0;
                    long settleStart = System.nanoTime();
                    awaitNoMerges(client, config.database());
                    long mergeCpu = OS.getProcessCpuTime() - cpu1;
                    double settle = (System.nanoTime() - settleStart) / 1e9;
                    long parts = client.queryAll("SELECT count() FROM system.parts WHERE active AND database = '"
                            + config.database() + "' AND table = 'steps'").getFirst().getLong(1);
                    if (round == 1) {
                        print("batches of %,6d rows: %,5d inserts in %5.1f s (%,7.0f rows/s); CPU while inserting %5.2f ms "
                                        + "per insert, %5.1f us per row; then merges until none ran (%.1f s): %5.1f us per "
                                        + "row; %d active parts left", size, inserts, wall, steps.size() / wall,
                                insertCpu / 1e6 / inserts, insertCpu / 1e3 / steps.size(), settle,
                                mergeCpu / 1e3 / steps.size(), parts);
                    }
                }
            }
        }
    }

    /** Waits until no merge has run in the database for a second (at most a minute). */
    private static void awaitNoMerges(Client client, String database) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int quiet = 0;
        while (quiet < 5 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            long running = client.queryAll("SELECT count() FROM system.merges WHERE database = '" + database + "'")
                    .getFirst().getLong(1);
            quiet = running == 0 ? quiet + 1 : 0;
        }
    }

    static List<Step> steps(int total) throws Exception {
        OtlpSpanMapper mapper = new OtlpSpanMapper(PriceTable.defaults());
        List<List<ExportTraceServiceRequest>> scenarios = new ArrayList<>();
        for (String scenario : List.of("ok", "tool_error", "loop", "llm_error")) {
            scenarios.add(DetectorsThroughput.capture(scenario).stream().map(SpanContentFilter.removing()::apply).toList());
        }
        List<Step> steps = new ArrayList<>(total);
        long start = System.currentTimeMillis() * 1_000_000L;
        for (int run = 0; steps.size() < total; run++) {
            for (ExportTraceServiceRequest template : scenarios.get(run % scenarios.size())) {
                steps.addAll(mapper.map("bench-insert", DetectorsThroughput.retrace(template,
                        DetectorsThroughput.traceId(7, run), start + run * 1_000_000L)));
            }
        }
        return steps.subList(0, total);
    }
}
