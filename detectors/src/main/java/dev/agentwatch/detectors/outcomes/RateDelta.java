package dev.agentwatch.detectors.outcomes;

import java.util.Objects;

/**
 * A change of one run's contribution to its agent's hourly rate counts: +1/-1 run with an
 * outcome, +1/-1 silent failure. A run counts once; when a later outcome changes its truth, the
 * old contribution is withdrawn and the new one added.
 *
 * @param tenant           tenant
 * @param agentName        agent
 * @param agentVersion     agent version (for the finding's evidence)
 * @param runId            run whose contribution changed
 * @param hourStartMillis  hour of the run's end
 * @param runs             change of runs with a determined outcome
 * @param silentFailures   change of silent failures
 */
record RateDelta(String tenant, String agentName, String agentVersion, String runId, long hourStartMillis, int runs,
                 int silentFailures) {
    RateDelta {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(runId, "runId");
        if (Math.abs(runs) > 1 || Math.abs(silentFailures) > 1) {
            throw new IllegalArgumentException("a rate delta moves counts by at most one");
        }
    }
}
