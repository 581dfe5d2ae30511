package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {
    private static final Map<String, String> LABELS = Map.of("alertname", "tool_loop", "severity", "critical", "tenant", "acme");

    @Test
    void parsesTheFourOperatorsWithAndWithoutQuotes() {
        assertThat(LabelMatcher.parse("severity=\"critical\"").matches(LABELS)).isTrue();
        assertThat(LabelMatcher.parse("severity = critical").matches(LABELS)).isTrue();
        assertThat(LabelMatcher.parse("tenant!=\"acme\"").matches(LABELS)).isFalse();
        assertThat(LabelMatcher.parse("tenant!=\"globex\"").matches(LABELS)).isTrue();
        assertThat(LabelMatcher.parse("severity=~\"critical|error\"").matches(LABELS)).isTrue();
        assertThat(LabelMatcher.parse("alertname!~\"cost_.*\"").matches(LABELS)).isTrue();
        assertThat(LabelMatcher.parse("alertname!~\"tool_.*\"").matches(LABELS)).isFalse();
    }

    @Test
    void regexesMustMatchTheWholeValue() {
        assertThat(LabelMatcher.parse("alertname=~\"loop\"").matches(LABELS)).isFalse();
        assertThat(LabelMatcher.parse("alertname=~\".*loop\"").matches(LABELS)).isTrue();
    }

    @Test
    void aMissingLabelMatchesAsTheEmptyString() {
        assertThat(LabelMatcher.parse("run_id=\"\"").matches(LABELS)).isTrue();
        assertThat(LabelMatcher.parse("run_id!=\"\"").matches(LABELS)).isFalse();
        assertThat(LabelMatcher.parse("run_id=~\".+\"").matchesEmpty()).isFalse();
    }

    @Test
    void printsAndParsesBackEscapedValues() {
        LabelMatcher matcher = LabelMatcher.of("summary", LabelMatcher.Operator.EQUAL, "say \"hi\" \\ bye");
        assertThat(matcher.toString()).isEqualTo("summary=\"say \\\"hi\\\" \\\\ bye\"");
        assertThat(LabelMatcher.parse(matcher.toString())).isEqualTo(matcher);
    }

    @Test
    void refusesBadRegexesAndSyntaxWithAClearMessage() {
        assertThatThrownBy(() -> LabelMatcher.parse("alertname=~\"(unclosed\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad regex");
        assertThatThrownBy(() -> LabelMatcher.parse("just text"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=\"value\"");
        assertThatThrownBy(() -> LabelMatcher.parse("severity=\"critical"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    }
}
