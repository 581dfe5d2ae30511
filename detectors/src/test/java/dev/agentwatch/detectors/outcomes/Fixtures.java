package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs, outcomes and findings for the reconciliation tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final String TENANT = "acme";

    private Fixtures() {
    }

    /** A run builder with sensible defaults: OK, ended at T0, no claim, no judge, no subject. */
    static RunBuilder run(String runId) {
        return new RunBuilder(runId);
    }

    static final class RunBuilder {
        private final String runId;
        private String tenant = TENANT;
        private String agent = "claims-agent";
        private String version = "v1";
        private RunStatus status = RunStatus.OK;
        private String subject = "";
        private String claim = "";
        private double judgeScore = Double.NaN;
        private String judgeLabel = "";
        private Instant end = T0;
        private int revision = 0;
        private int errors = 0;

        private RunBuilder(String runId) {
            this.runId = runId;
        }

        RunBuilder tenant(String value) {
            tenant = value;
            return this;
        }

        RunBuilder agent(String name, String agentVersion) {
            agent = name;
            version = agentVersion;
            return this;
        }

        RunBuilder status(RunStatus value) {
            status = value;
            return this;
        }

        RunBuilder subject(String value) {
            subject = value;
            return this;
        }

        RunBuilder claim(String value) {
            claim = value;
            return this;
        }

        RunBuilder judge(double score) {
            judgeScore = score;
            return this;
        }

        RunBuilder judgeLabel(String label) {
            judgeLabel = label;
            return this;
        }

        RunBuilder endedAt(Instant value) {
            end = value;
            return this;
        }

        RunBuilder revision(int value) {
            revision = value;
            return this;
        }

        RunBuilder errors(int value) {
            errors = value;
            return this;
        }

        Run build() {
            long endNanos = end.toEpochMilli() * 1_000_000;
            long startNanos = endNanos - Duration.ofSeconds(20).toNanos();
            return new Run(tenant, runId, "claims-service", agent, version, List.of("gpt-4o"), "root-" + runId,
                    "invoke_agent", startNanos, endNanos, status, 5, 2, 2, errors, 0, 0, 1000, 200, 0.01,
                    List.of("invoke_agent", "chat", "lookup_policy", "chat"), subject, claim, "", judgeScore, judgeLabel,
                    0, revision, end.toEpochMilli() + revision * 1000L);
        }
    }

    static Outcome outcomeForRun(String outcomeId, String runId, Verdict verdict, Instant observed) {
        return new Outcome(outcomeId, TENANT, runId, "", verdict, "", "human_review", observed.toEpochMilli(),
                observed.toEpochMilli() + 1000, "", Map.of());
    }

    static Outcome outcomeForSubject(String outcomeId, String subject, Verdict verdict, Instant observed) {
        return new Outcome(outcomeId, TENANT, "", subject, verdict, "", "human_review", observed.toEpochMilli(),
                observed.toEpochMilli() + 1000, "", Map.of());
    }

    static Outcome outcome(String outcomeId, String tenant, String runId, String subject, Verdict verdict,
                           String actualValue, String source, Instant observed, Instant received) {
        return new Outcome(outcomeId, tenant, runId, subject, verdict, actualValue, source, observed.toEpochMilli(),
                received.toEpochMilli(), "", Map.of());
    }

    static Finding finding(String detector, Severity severity, String runId, String stepId) {
        return new Finding(Fingerprints.of(detector, TENANT, runId, stepId), detector, severity, TENANT, "claims-agent",
                "v1", runId, stepId, "", detector + " on " + stepId, T0.toEpochMilli() * 1_000_000,
                T0.toEpochMilli(), Map.of(), Map.of());
    }
}
