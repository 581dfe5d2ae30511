package dev.agentwatch.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/** Numbered start-up steps on the terminal, each with the time it took. */
final class Progress {
    private final PrintStream out;
    private final int total;
    private int current;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    <T> T step(String what, Supplier<T> action) {
        current++;
        out.printf("[%d/%d] %s ...%n", current, total, what);
        out.flush();
        long started = System.nanoTime();
        T result = action.get();
        out.printf("[%d/%d] %s: ok (%.1f s)%n", current, total, what, (System.nanoTime() - started) / 1e9);
        out.flush();
        return result;
    }

    void step(String what, Runnable action) {
        step(what, () -> {
            action.run();
            return null;
        });
    }
}
