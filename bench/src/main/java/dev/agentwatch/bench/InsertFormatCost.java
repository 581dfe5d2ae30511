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
import dev.agentwatch.model.Step;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * What an insert of {@code steps} rows costs the embedded ClickHouse as RowBinary rows and as a
 * Native block (what the sinks write), measured in one process, the two formats taking turns in
 * every round (and turns at going first), each into a database of its own: runs of one format
 * after the other, even in separate processes, differed by up to 2x on this VM. The first two
 * rounds warm up and are not counted. Arguments: {@code [rows per insert=10000] [inserts per
 * round=4] [rounds=12]}. Asserts nothing.
 */
public final class InsertFormatCost {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final int WARM_UP_ROUNDS = 2;

    private InsertFormatCost() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int insertsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        if (rounds <= WARM_UP_ROUNDS) {
            throw new IllegalArgumentException("rounds must be more than the " + WARM_UP_ROUNDS + " warm-up rounds");
        }
        List<Step> steps = ClickHouseInsertCost.steps(size * insertsPerRound);
        print("machine: %d cores; %d inserts of %d steps rows per format and round, %d rounds (the first %d not counted)",
                Runtime.getRuntime().availableProcessors(), insertsPerRound, size, rounds, WARM_UP_ROUNDS);
        try (EmbeddedClickHouse chdb = EmbeddedClickHouse.shared()) {
            ClickHouseConfig rowBinaryDb = new ClickHouseConfig(chdb.httpUrl(), "bench_format_rowbinary", "default", "",
                    size, Duration.ofSeconds(1));
            ClickHouseConfig nativeDb = rowBinaryDb.withDatabase("bench_format_native");
            SchemaMigrator.of(rowBinaryDb).migrate();
            SchemaMigrator.of(nativeDb).migrate();
            try (Client rowBinaryClient = ClickHouseClients.create(rowBinaryDb);
                 Client nativeClient = ClickHouseClients.create(nativeDb)) {
                List<ClickHouseBatchWriter<Step>> writers = List.of(
                        ClickHouseBatchWriter.rowBinary(rowBinaryClient, new StepRowEncoder()),
                        new ClickHouseBatchWriter<>(nativeClient, new StepRowEncoder()));
                List<String> names = List.of("RowBinary", "Native");
                double[] cpuMillis = new double[2];
                for (int round = 0; round < rounds; round++) {
                    for (int turn = 0; turn < 2; turn++) {
                        int format = (round + turn) % 2;
                        long cpu0 = OS.getProcessCpuTime();
                        for (int i = 0; i < insertsPerRound; i++) {
                            writers.get(format).write(steps.subList(i * size, (i + 1) * size));
                        }
                        double perInsert = (OS.getProcessCpuTime() - cpu0) / 1e6 / insertsPerRound;
                        if (round >= WARM_UP_ROUNDS) {
                            cpuMillis[format] += perInsert;
                        }
                        print("round %2d %-9s %7.2f ms of CPU per insert", round, names.get(format), perInsert);
                    }
                }
                int counted = rounds - WARM_UP_ROUNDS;
                for (int format = 0; format < 2; format++) {
                    double perInsert = cpuMillis[format] / counted;
                    print("%-9s: %7.2f ms of CPU per insert of %d rows, %5.2f us per row (mean of %d rounds)",
                            names.get(format), perInsert, size, perInsert * 1000 / size, counted);
                }
            }
        }
    }
}
