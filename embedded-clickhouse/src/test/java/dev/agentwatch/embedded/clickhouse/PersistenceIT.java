package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data survives close and reopen, both within one process and across processes. Runs {@link
 * PersistenceProbe} in child JVMs on the test classpath: chDB binds one data directory per
 * process, and this JVM's engine is the shared one on another directory.
 */
@Timeout(120)
class PersistenceIT {

  @Test
  void dataSurvivesReopenInTheSameProcessAndInANewProcess(@TempDir Path dataDir) throws Exception {
    List<String> written = runProbe(dataDir, "write");
    List<String> readBack = runProbe(dataDir, "read");

    assertThat(written).contains("count_after_reopen=3", "count=4");
    assertThat(readBack).contains("count=4");
  }

  private static List<String> runProbe(Path dataDir, String mode) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                PersistenceProbe.class.getName(),
                dataDir.toString(),
                mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("probe finished").isTrue();
    assertThat(process.exitValue()).as("probe exit code; output:\n" + output).isZero();
    System.out.print("[" + mode + " probe] " + output.lines().filter(l -> !l.contains(" INFO ")).toList() + "\n");
    return output.lines().toList();
  }
}
