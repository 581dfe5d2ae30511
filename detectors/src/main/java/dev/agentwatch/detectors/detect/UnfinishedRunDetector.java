package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import java.util.List;
import java.util.Map;

/**
 * Unfinished runs: no root span arrived before the run was closed by inactivity. The run
 * assembler decides when that is (see {@code RunAssemblyConfig#inactivityGap}); this detector
 * reports it.
 */
public final class UnfinishedRunDetector implements RunDetector {
    public static final String NAME = "unfinished_run";

    @Override
    public String name() {
        return NAME;
    }

    /** Disproved when the root arrives: the run did finish. */
    @Override
    public boolean lateStepsCanDisprove() {
        return true;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        Run run = trace.run();
        if (run.status() != RunStatus.UNFINISHED) {
            return List.of();
        }
        return List.of(RunFindings.of(NAME, Severity.WARNING, trace, "", "",
                "run never finished: no root span after " + run.steps() + " steps", run.endEpochNanos(),
                Map.of("steps", Integer.toString(run.steps()),
                        "last_activity_epoch_ms", Long.toString(run.endEpochNanos() / 1_000_000),
                        "closed_at_epoch_ms", Long.toString(run.closedAtEpochMillis()))));
    }
}
