package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.ToolCallRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loops: the same tool called with the same arguments again and again, or the same cycle of steps
 * repeated back to back. A call that repeats a <em>failed</em> identical call is a retry, not a
 * repetition: only calls after a successful identical call count, so a retry policy never fires.
 * Steps are compared by signature: kind, name, tool arguments hash for tools, and requested tool
 * calls for LLM steps; tool calls without an arguments hash are never called identical.
 */
public final class LoopDetector implements RunDetector {
    public static final String NAME = "loop";

    /**
     * @param maxIdenticalCalls  a tool called this many times with the same arguments (each after
     *                           a success) is a loop
     * @param minCycleRepeats    a cycle of steps repeated this many times back to back is a loop
     * @param maxCycleLength     longest cycle looked for, in steps (cycles of one step are
     *                           the identical-call rule's)
     */
    public record Config(int maxIdenticalCalls, int minCycleRepeats, int maxCycleLength) {
        public Config {
            if (maxIdenticalCalls < 2 || minCycleRepeats < 2 || maxCycleLength < 2) {
                throw new IllegalArgumentException("loop thresholds: identical calls, cycle repeats and cycle length "
                        + "at least 2");
            }
        }

        public static Config defaults() {
            return new Config(3, 3, 4);
        }
    }

    private final Config config;

    public LoopDetector(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        List<Finding> findings = identicalToolCalls(trace);
        if (findings.isEmpty()) {
            findings.addAll(repeatedCycles(trace));
        }
        return findings;
    }

    private record Repeats(int count, boolean lastFailed, Step last) {
    }

    private List<Finding> identicalToolCalls(RunTrace trace) {
        Map<String, Repeats> byCall = new LinkedHashMap<>();
        for (Step step : trace.workSteps()) {
            if (step.kind() != StepKind.TOOL || step.toolArgumentsHash().isEmpty()) {
                continue;
            }
            String call = step.name() + "(" + step.toolArgumentsHash() + ")";
            Repeats before = byCall.get(call);
            int count = before == null ? 1 : before.lastFailed() ? before.count() : before.count() + 1;
            byCall.put(call, new Repeats(count, step.failed() || step.toolOutputLooksLikeError(), step));
        }
        List<Finding> findings = new ArrayList<>();
        byCall.forEach((call, repeats) -> {
            if (repeats.count() >= config.maxIdenticalCalls()) {
                Step last = repeats.last();
                findings.add(RunFindings.of(NAME, Severity.ERROR, trace, "", "identical:" + call,
                        "tool " + last.name() + " called " + repeats.count() + " times with the same arguments",
                        last.endEpochNanos(), Map.of("tool", last.name(), "arguments_hash", last.toolArgumentsHash(),
                                "identical_calls", Integer.toString(repeats.count()),
                                "threshold", Integer.toString(config.maxIdenticalCalls()))));
            }
        });
        return findings;
    }

    private List<Finding> repeatedCycles(RunTrace trace) {
        List<Step> steps = trace.workSteps();
        List<String> signatures = steps.stream().map(LoopDetector::signature).toList();
        // Length 1 is the identical-call rule's business (with its retry semantics).
        for (int length = 2; length <= config.maxCycleLength(); length++) {
            for (int start = 0; start + length * config.minCycleRepeats() <= signatures.size(); start++) {
                int repeats = repeatsAt(signatures, start, length);
                if (repeats >= config.minCycleRepeats() && !trivial(signatures, start, length)) {
                    Step last = steps.get(start + repeats * length - 1);
                    return List.of(RunFindings.of(NAME, Severity.ERROR, trace, "", "cycle:"
                                    + firstRotation(signatures.subList(start, start + length)),
                            "a cycle of " + length + " steps repeated " + repeats + " times",
                            last.endEpochNanos(), Map.of("cycle", String.join(" > ", namesOf(steps, start, length)),
                                    "cycle_length", Integer.toString(length), "repeats", Integer.toString(repeats),
                                    "threshold", Integer.toString(config.minCycleRepeats()))));
                }
            }
        }
        return List.of();
    }

    /**
     * The cycle in the rotation that sorts first, as the finding's rule: where the cycle was first
     * seen (which a late step starting earlier changes) must not make it another loop.
     */
    static String firstRotation(List<String> cycle) {
        String first = String.join(">", cycle);
        for (int shift = 1; shift < cycle.size(); shift++) {
            List<String> rotated = new ArrayList<>(cycle.subList(shift, cycle.size()));
            rotated.addAll(cycle.subList(0, shift));
            String candidate = String.join(">", rotated);
            if (candidate.compareTo(first) < 0) {
                first = candidate;
            }
        }
        return first;
    }

    private static int repeatsAt(List<String> signatures, int start, int length) {
        int repeats = 1;
        while (start + (repeats + 1) * length <= signatures.size()
                && signatures.subList(start + repeats * length, start + (repeats + 1) * length)
                .equals(signatures.subList(start, start + length))) {
            repeats++;
        }
        return repeats;
    }

    /** A cycle of steps that carry nothing to compare (no arguments, no requests) proves nothing. */
    private static boolean trivial(List<String> signatures, int start, int length) {
        for (String signature : signatures.subList(start, start + length)) {
            if (!signature.endsWith("|")) {
                return false;
            }
        }
        return true;
    }

    private static List<String> namesOf(List<Step> steps, int start, int length) {
        return steps.subList(start, start + length).stream().map(Step::name).toList();
    }

    /**
     * kind|name|what makes the step the same step again (arguments or requested calls), empty if
     * unknown. A failed step is unique: repeating it is a retry, not a cycle.
     */
    static String signature(Step step) {
        if (step.failed()) {
            return "failed|" + step.stepId();
        }
        String detail = switch (step.kind()) {
            case TOOL -> step.toolArgumentsHash();
            case LLM -> requests(step.requestedToolCalls());
            default -> "";
        };
        return step.kind().label() + "|" + step.name() + "|" + detail;
    }

    private static String requests(List<ToolCallRequest> calls) {
        if (calls.isEmpty()) {
            return "";
        }
        Map<String, Integer> counted = new HashMap<>();
        for (ToolCallRequest call : calls) {
            counted.merge(call.toolName() + "(" + call.argumentsHash() + ")", 1, Integer::sum);
        }
        return new java.util.TreeMap<>(counted).toString();
    }
}
