package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainArgumentsTest {

    @Test
    void aStackCommandTakesAConfigFileOrAsksForHelp() {
        assertThat(Main.helpWanted("up", List.of())).isFalse();
        assertThat(Main.helpWanted("up", List.of("--config", "agentwatch.properties"))).isFalse();
        assertThat(Main.helpWanted("up", List.of("--help"))).isTrue();
        assertThat(Main.helpWanted("detectors", List.of("--config", "a.properties", "-h"))).isTrue();
    }

    @Test
    void anythingElseIsRefusedRatherThanStartingTheStack() {
        assertThatThrownBy(() -> Main.helpWanted("up", List.of("--kepp-data")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument '--kepp-data' for up: it takes only --config FILE (agentwatch help)");
        assertThatThrownBy(() -> Main.helpWanted("collector", List.of("extra")))
                .hasMessageContaining("'extra' for collector");
    }
}
