package dev.agentwatch.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * How well the detectors found what the fleet injected: labels joined with findings by run id.
 * Pure: no I/O, no clock. Immutable.
 *
 * <h2>Definitions</h2>
 * Only findings on the fleet's runs count; findings on other runs are other traffic and are
 * only counted, agent-level findings (no run id) are listed apart.
 * <ul>
 *   <li><b>injected</b>(kind): runs labelled with the kind;</li>
 *   <li><b>detected</b>(kind): those with a finding by one of the kind's
 *       {@link FailureKind#detectedBy() detectors};</li>
 *   <li><b>recall</b> = detected / injected;</li>
 *   <li><b>precision</b>(kind): of the fleet's runs flagged by the kind's detectors, the share
 *       whose label {@link FailureKind#explains explains} the flag (a silent-failure finding on a
 *       rollout regression is right even though it is not a plain wrong decision); empty when
 *       nothing was flagged;</li>
 *   <li><b>time to detection</b>: per detected run, its earliest matching finding's
 *       {@code detected_at} minus the wall time the run was emitted; the median, in wall time, and
 *       for kinds only outcomes reveal also in simulated time (wall × compression), since their
 *       detection waits for an outcome that arrives simulated days later.</li>
 * </ul>
 */
public final class DemoReport {

    /** One failure kind's row. */
    public record KindRow(FailureKind kind, int injected, int detected, int flaggedRuns, int flaggedExplained,
                          OptionalLong medianMillisToDetection) {
        public double recall() {
            return injected == 0 ? Double.NaN : (double) detected / injected;
        }

        public double precision() {
            return flaggedRuns == 0 ? Double.NaN : (double) flaggedExplained / flaggedRuns;
        }
    }

    /** One detector's row: how many of the fleet's runs it flagged, and how many of those no label explains. */
    public record DetectorRow(String detector, int findings, int runsFlagged, int runsUnexplained) {
    }

    private final int runs;
    private final int cleanRuns;
    private final int cleanRunsFlagged;
    private final List<KindRow> kinds;
    private final List<DetectorRow> detectors;
    private final int agentLevelFindings;
    private final int otherTrafficFindings;
    private final double compression;

    private DemoReport(int runs, int cleanRuns, int cleanRunsFlagged, List<KindRow> kinds, List<DetectorRow> detectors,
                       int agentLevelFindings, int otherTrafficFindings, double compression) {
        this.runs = runs;
        this.cleanRuns = cleanRuns;
        this.cleanRunsFlagged = cleanRunsFlagged;
        this.kinds = List.copyOf(kinds);
        this.detectors = List.copyOf(detectors);
        this.agentLevelFindings = agentLevelFindings;
        this.otherTrafficFindings = otherTrafficFindings;
        this.compression = compression;
    }

    /**
     * @param labels      one label per run the fleet emitted
     * @param findings    findings, any scope (others are filtered out)
     * @param compression the fleet's time compression, for simulated time to detection
     */
    public static DemoReport of(Collection<RunLabel> labels, Collection<DetectedFinding> findings, double compression) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(findings, "findings");
        Map<String, RunLabel> byRun = new HashMap<>();
        labels.forEach(l -> byRun.put(l.runId(), l));

        Map<String, Map<String, Long>> firstDetection = new HashMap<>();
        Map<String, Integer> findingsByDetector = new TreeMap<>();
        int agentLevel = 0;
        int other = 0;
        for (DetectedFinding f : findings) {
            if (f.runId().isEmpty()) {
                agentLevel++;
                continue;
            }
            if (!byRun.containsKey(f.runId())) {
                other++;
                continue;
            }
            findingsByDetector.merge(f.detector(), 1, Integer::sum);
            firstDetection.computeIfAbsent(f.runId(), r -> new HashMap<>())
                    .merge(f.detector(), f.detectedAtMillis(), Math::min);
        }

        Map<FailureKind, List<RunLabel>> byKind = new EnumMap<>(FailureKind.class);
        int clean = 0;
        int cleanFlagged = 0;
        for (RunLabel label : byRun.values()) {
            if (label.failure().isEmpty()) {
                clean++;
                if (firstDetection.containsKey(label.runId())) {
                    cleanFlagged++;
                }
            } else {
                byKind.computeIfAbsent(label.failure().get(), k -> new ArrayList<>()).add(label);
            }
        }

        List<KindRow> kindRows = new ArrayList<>();
        for (FailureKind kind : FailureKind.values()) {
            List<RunLabel> injected = byKind.getOrDefault(kind, List.of());
            List<Long> delays = new ArrayList<>();
            for (RunLabel label : injected) {
                earliest(firstDetection.get(label.runId()), kind.detectedBy())
                        .ifPresent(at -> delays.add(Math.max(0, at - label.emittedAtMillis())));
            }
            int flagged = 0;
            int explained = 0;
            for (Map.Entry<String, Map<String, Long>> e : firstDetection.entrySet()) {
                Set<String> fired = new HashSet<>(e.getValue().keySet());
                fired.retainAll(kind.detectedBy());
                if (fired.isEmpty()) {
                    continue;
                }
                flagged++;
                Optional<FailureKind> labelled = byRun.get(e.getKey()).failure();
                if (labelled.isPresent() && fired.stream().anyMatch(d -> labelled.get().explains(d))) {
                    explained++;
                }
            }
            if (!injected.isEmpty() || flagged > 0) {
                kindRows.add(new KindRow(kind, injected.size(), delays.size(), flagged, explained, median(delays)));
            }
        }

        List<DetectorRow> detectorRows = new ArrayList<>();
        findingsByDetector.forEach((detector, count) -> {
            int flaggedRuns = 0;
            int unexplained = 0;
            for (Map.Entry<String, Map<String, Long>> e : firstDetection.entrySet()) {
                if (e.getValue().containsKey(detector)) {
                    flaggedRuns++;
                    Optional<FailureKind> labelled = byRun.get(e.getKey()).failure();
                    if (labelled.isEmpty() || !labelled.get().explains(detector)) {
                        unexplained++;
                    }
                }
            }
            detectorRows.add(new DetectorRow(detector, count, flaggedRuns, unexplained));
        });
        return new DemoReport(byRun.size(), clean, cleanFlagged, kindRows, detectorRows, agentLevel, other, compression);
    }

    private static Optional<Long> earliest(Map<String, Long> detections, Set<String> detectors) {
        if (detections == null) {
            return Optional.empty();
        }
        return detections.entrySet().stream().filter(e -> detectors.contains(e.getKey()))
                .map(Map.Entry::getValue).min(Long::compare);
    }

    private static OptionalLong median(List<Long> values) {
        if (values.isEmpty()) {
            return OptionalLong.empty();
        }
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return OptionalLong.of(n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
    }

    public int runs() {
        return runs;
    }

    public int cleanRuns() {
        return cleanRuns;
    }

    /** Clean runs with any finding: false alarms. */
    public int cleanRunsFlagged() {
        return cleanRunsFlagged;
    }

    /** Rows for every kind injected or flagged, in {@link FailureKind} order. */
    public List<KindRow> kinds() {
        return kinds;
    }

    public Optional<KindRow> kind(FailureKind kind) {
        return kinds.stream().filter(r -> r.kind() == kind).findFirst();
    }

    public List<DetectorRow> detectors() {
        return detectors;
    }

    public int agentLevelFindings() {
        return agentLevelFindings;
    }

    public int otherTrafficFindings() {
        return otherTrafficFindings;
    }

    /** The report as a text table. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("runs %d, clean %d, clean runs flagged %d (%s)%n", runs, cleanRuns, cleanRunsFlagged,
                percent(cleanRuns == 0 ? Double.NaN : (double) cleanRunsFlagged / cleanRuns)));
        out.append(String.format("%-26s %8s %8s %7s %9s  %s%n", "failure", "injected", "detected", "recall",
                "precision", "time to detection (median)"));
        for (KindRow row : kinds) {
            out.append(String.format("%-26s %8d %8d %7s %9s  %s%n", row.kind().label(), row.injected(),
                    row.detected(), percent(row.recall()), percent(row.precision()), timeToDetection(row)));
        }
        if (kinds.stream().anyMatch(r -> (r.kind() == FailureKind.LATENCY_SPIKE || r.kind() == FailureKind.COST_SPIKE)
                && r.detected() < r.injected())) {
            out.append("  latency and cost spikes are judged against a baseline learned per step, agent version and"
                    + " model:\n  a spike among its first samples (again after a model change) falls in the"
                    + " baseline's warm-up\n");
        }
        out.append("  time to detection: from the run's emission to its first finding by the kind's detectors;"
                + " for failures only\n  outcomes reveal, in simulated time: their truth arrives hours to days"
                + " after the run\n");
        out.append(String.format("%-26s %8s %12s %12s%n", "detector", "findings", "runs flagged", "unexplained"));
        for (DetectorRow row : detectors) {
            out.append(String.format("%-26s %8d %12d %12d%n", row.detector(), row.findings(), row.runsFlagged(),
                    row.runsUnexplained()));
        }
        out.append(String.format("agent-level findings %d, findings on other runs %d%n", agentLevelFindings,
                otherTrafficFindings));
        return out.toString();
    }

    private String timeToDetection(KindRow row) {
        if (row.medianMillisToDetection().isEmpty()) {
            return "-";
        }
        long millis = row.medianMillisToDetection().getAsLong();
        return row.kind().revealedByOutcome()
                ? simulated(Math.round(millis * compression)) + " simulated (" + wall(millis) + " wall)"
                : wall(millis);
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format("%.0f%%", ratio * 100);
    }

    private static String wall(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }

    private static String simulated(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() >= 48) {
            return String.format("%.1f d", d.toMinutes() / 1440.0);
        }
        if (d.toMinutes() >= 120) {
            return String.format("%.1f h", d.toMinutes() / 60.0);
        }
        return String.format("%.1f min", d.toSeconds() / 60.0);
    }
}
