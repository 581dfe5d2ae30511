package dev.agentwatch.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where this JVM's CPU time went between two snapshots, by groups of threads named as the
 * embedded services name them; what no Java thread accounts for (chDB's native threads, the
 * garbage collector, the JIT compilers) is the remainder of the process's CPU time, split on
 * Linux by the names of those threads.
 */
final class CpuShares {
    private record Group(String name, Predicate<String> threads) {
    }

    private static final String OTHER_JAVA = "other Java threads (load generator, reporters, ...)";

    /**
     * The native and JVM threads by the names Linux gives them ({@code /proc/self/task/N/comm},
     * 15 characters at most), to split the remainder that no Java thread accounts for.
     */
    private static final List<Group> NATIVE_GROUPS = List.of(
            new Group("GC", n -> n.startsWith("GC Thread") || n.startsWith("G1 ") || n.startsWith("ParGC") || n.equals("VM Thread")),
            new Group("JIT", n -> n.startsWith("C1 Compiler") || n.startsWith("C2 Compiler")),
            new Group("chDB", n -> n.startsWith("MergeMutate") || n.startsWith("ThreadPool") || n.startsWith("BgSchPool")
                    || n.startsWith("BgStrmSchPool") || n.startsWith("BgBufSchPool") || n.startsWith("BgDistSchPool")
                    || n.startsWith("PoolDelayExec") || n.startsWith("MemoryWorker") || n.startsWith("MasterPoller")
                    || n.startsWith("QueryPipelineEx") || n.startsWith("QueryPullPipeEx")),
            new Group("RocksDB", n -> n.startsWith("rocksdb:")));

    private static final List<Group> GROUPS = List.of(
            new Group("runs pipeline (normalize, assemble, run detectors)", n -> n.contains("-runs-") && n.contains("StreamThread")
                    && !n.contains("producer")),
            new Group("metrics pipeline", n -> n.contains("-metrics-") && n.contains("StreamThread") && !n.contains("producer")),
            new Group("outcomes pipeline", n -> n.contains("-outcomes-") && n.contains("StreamThread") && !n.contains("producer")),
            new Group("Kafka clients' network threads", n -> n.startsWith("kafka-producer-network-thread")
                    || n.startsWith("kafka-admin-client-thread")
                    || n.startsWith("kafka-coordinator-heartbeat-thread")),
            new Group("ClickHouse sinks", n -> n.startsWith("clickhouse-sink-")),
            // The embedded server runs each query, inserts included, in chDB on its handler thread.
            new Group("embedded ClickHouse: HTTP handlers running chDB queries and inserts",
                    n -> n.startsWith("ForkJoinPool-") || n.startsWith("HTTP-Dispatcher")),
            new Group("embedded broker", n -> n.startsWith("data-plane-kafka") || n.startsWith("kafka-") || n.contains("Fetch")
                    || n.startsWith("group-coordinator") || n.startsWith("quorum-controller") || n.contains("Txn")
                    || n.startsWith("AddPartitionsToTxn") || n.startsWith("ExpirationReaper") || n.startsWith("log-")
                    || n.startsWith("transaction-") || n.startsWith("broker-") || n.startsWith("raft-")));

    private final long processNanos;
    private final long wallNanos;
    private final long compilationMillis;
    private final long gcMillis;
    private final Map<Long, Long> threadNanos;
    private final Map<Long, String> threadNames;
    /** Clock ticks of the native and JVM thread groups ({@link #NATIVE_GROUPS}), empty off Linux. */
    private final Map<String, Long> nativeTicks;

    private CpuShares(long processNanos, long wallNanos, long compilationMillis, long gcMillis, Map<Long, Long> threadNanos,
                      Map<Long, String> threadNames, Map<String, Long> nativeTicks) {
        this.processNanos = processNanos;
        this.wallNanos = wallNanos;
        this.compilationMillis = compilationMillis;
        this.gcMillis = gcMillis;
        this.threadNanos = threadNanos;
        this.threadNames = threadNames;
        this.nativeTicks = nativeTicks;
    }

    static CpuShares snapshot() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum();
        return new CpuShares(os.getProcessCpuTime(), System.nanoTime(),
                ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc, cpu, names, nativeTicks());
    }

    /**
     * User and system clock ticks of this process's native thread groups, by group: 1/100 s each
     * (Linux's USER_HZ, on every architecture this runs on).
     */
    private static Map<String, Long> nativeTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                NATIVE_GROUPS.stream().filter(g -> g.threads().test(name)).findFirst()
                        .ifPresent(g -> ticks.merge(g.name(), used, Long::sum));
            }
        } catch (IOException | RuntimeException notLinux) {
            return Map.of();
        }
        return ticks;
    }

    /** One line per group since {@code before}: cores used and CPU microseconds per span. */
    List<String> since(CpuShares before, long spans) {
        double wall = (wallNanos - before.wallNanos) / 1e9;
        long process = processNanos - before.processNanos;
        Map<String, Long> byGroup = new LinkedHashMap<>();
        GROUPS.forEach(g -> byGroup.put(g.name(), 0L));
        byGroup.put(OTHER_JAVA, 0L);
        long java = 0;
        for (Map.Entry<Long, Long> thread : threadNanos.entrySet()) {
            long used = thread.getValue() - before.threadNanos.getOrDefault(thread.getKey(), 0L);
            String name = threadNames.get(thread.getKey());
            String group = GROUPS.stream().filter(g -> g.threads().test(name)).map(Group::name).findFirst()
                    .orElse(OTHER_JAVA);
            byGroup.merge(group, used, Long::sum);
            java += used;
        }
        byGroup.put("native and JVM threads (chDB merges and pools, RocksDB compaction, GC, JIT compilers)", Math.max(0, process - java));
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format(Locale.ROOT, "  CPU: %.2f cores busy over %.1f s (%.0f us per span)", process / 1e9 / wall, wall,
                process / 1e3 / spans));
        byGroup.forEach((group, nanos) -> lines.add(String.format(Locale.ROOT, "    %4.1f%%  %.2f cores  %5.1f us/span  %s",
                100.0 * nanos / Math.max(1, process), nanos / 1e9 / wall, nanos / 1e3 / spans, group)));
        if (!nativeTicks.isEmpty()) {
            StringBuilder split = new StringBuilder("    of the last, by thread name:");
            long named = 0;
            for (Group group : NATIVE_GROUPS) {
                long nanos = (nativeTicks.getOrDefault(group.name(), 0L)
                        - before.nativeTicks.getOrDefault(group.name(), 0L)) * 10_000_000L;
                named += nanos;
                split.append(String.format(Locale.ROOT, " %s %.1f us,", group.name(), nanos / 1e3 / spans));
            }
            long rest = Math.max(0, process - java - named);
            lines.add(split.append(String.format(Locale.ROOT, " other %.1f us per span", rest / 1e3 / spans)).toString());
        }
        // The JVM's own accounts, in elapsed time: indicative of the last line's JVM part.
        lines.add(String.format(Locale.ROOT, "    of the last: JIT compilation %.1f s, GC (collection time, summed over "
                + "collectors) %.1f s", (compilationMillis - before.compilationMillis) / 1e3, (gcMillis - before.gcMillis) / 1e3));
        return lines;
    }
}
