package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A detector that judges one closed run (or a revision of it) from its steps. The run's steps are
 * the only state it needs, and the run assembler keeps them, so the detector's own state is
 * {@link Stateless}: implementations only write {@link #inspect(RunTrace)}.
 */
public interface RunDetector extends Detector<Stateless, RunTrace> {
    /**
     * Findings of one detector on a run that are emitted at most: the first ones it reports (its
     * later ones still count as found, so a late step does not resolve them). An LLM asking for
     * 64 tools a step, none of which ever runs, would otherwise raise tens of thousands; a hundred
     * findings of one kind already say what is wrong with a run.
     */
    int MAX_FINDINGS_PER_RUN = 100;

    /** Findings about this run, none when it looks fine. */
    List<Finding> inspect(RunTrace trace);

    /**
     * Whether a step arriving after the close can show that this detector's findings (labelled
     * {@link #name()}) do not hold: the run assembler then resolves them. Not so for conditions
     * that more steps only add to (a budget spent, a loop run, a tool used); their findings stay,
     * even where a late root naming another agent would change the agent's settings.
     */
    default boolean lateStepsCanDisprove() {
        return false;
    }

    /** The names of those of {@code detectors} whose findings late steps can disprove. */
    static Set<String> disprovableNames(Collection<RunDetector> detectors) {
        return detectors.stream().filter(RunDetector::lateStepsCanDisprove).map(RunDetector::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    default Stateless initialState() {
        return Stateless.INSTANCE;
    }

    @Override
    default Detection<Stateless> apply(Stateless state, RunTrace trace) {
        return Detection.of(state, inspect(trace));
    }
}
