package dev.agentwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceTableTest {

    private static final PriceTable DEFAULTS = PriceTable.defaults();

    @ParameterizedTest
    @CsvSource({
            "openai, gpt-4o-mini-2024-07-18, 0.15",
            "openai, gpt-4o-2024-08-06, 2.50",
            "openai, gpt-4o, 2.50",
            "openai, GPT-4O-MINI, 0.15",
            "openai, gpt-4.1-mini-2025-04-14, 0.40",
            "openai, gpt-4.1, 2.00",
            "openai, o3-2025-04-16, 2.00",
            "openai, o3-mini, 1.10",
            "openai, o4-mini-2025-04-16, 1.10",
            "openai, openai/gpt-4o-mini, 0.15",
            "anthropic, claude-3-5-sonnet-20241022, 3.00",
            "anthropic, claude-sonnet-4-5-20250929, 3.00",
            "anthropic, claude-opus-4-1-20250805, 15.00",
            "anthropic, claude-opus-4-5, 5.00",
            "anthropic, claude-3-5-haiku-latest, 0.80",
            "aws.bedrock, us.anthropic.claude-3-5-sonnet-20240620-v1:0, 3.00",
            "gcp.gemini, models/gemini-1.5-pro-002, 1.25",
            "gcp.gemini, gemini-2.0-flash-001, 0.10",
            "gcp.gemini, gemini-2.5-flash-lite, 0.10",
            "gcp.vertex_ai, gemini-2.5-pro, 1.25",
            "groq, llama-3.3-70b-versatile, 0.59",
            "together_ai, meta-llama/Llama-3.3-70B-Instruct-Turbo, 0.59",
            "mistral_ai, mistral-large-latest, 2.00"})
    void findsPriceByLongestModelPrefix(String provider, String model, double inputPerMillion) {
        assertThat(DEFAULTS.find(provider, model)).get()
                .extracting(PriceTable.Price::inputPerMillion).isEqualTo(inputPerMillion);
    }

    @ParameterizedTest
    @CsvSource({
            "openai, gpt-4.5-preview",
            "openai, gpt-4oo",
            "openai, ''",
            "acme, in-house-7b",
            "anthropic, claude-2.1"})
    void knowsNothingAboutUnknownModels(String provider, String model) {
        assertThat(DEFAULTS.find(provider, model)).isEmpty();
        assertThat(DEFAULTS.costUsd(provider, model, new TokenUsage(1000, 1000, 0, 0, 0))).isZero();
    }

    @Test
    void billsUncachedInputCacheReadsCacheWritesAndOutputSeparately() {
        // 10k input of which 6k cache reads and 2k cache writes; reasoning is inside output.
        TokenUsage tokens = new TokenUsage(10_000, 500, 6_000, 2_000, 300);

        double cost = DEFAULTS.costUsd("anthropic", "claude-sonnet-4", tokens);

        assertThat(cost).isCloseTo((2_000 * 3.00 + 6_000 * 0.30 + 2_000 * 3.75 + 500 * 15.00) / 1e6, within(1e-12));
    }

    @Test
    void overridesReplaceDefaultsAndProviderQualifiedKeysWin() {
        PriceTable table = DEFAULTS.withOverrides(Map.of(
                "gpt-4o-mini", PriceTable.Price.of(1, 2),
                "groq/llama-3.3-70b", PriceTable.Price.of(0.10, 0.20),
                " Custom-Model ", PriceTable.Price.of(5, 5)));

        assertThat(table.find("openai", "gpt-4o-mini-2024-07-18")).contains(PriceTable.Price.of(1, 2));
        assertThat(table.find("openai", "gpt-4o")).contains(new PriceTable.Price(2.50, 10.00, 1.25, 2.50));
        assertThat(table.find("groq", "llama-3.3-70b-versatile")).contains(PriceTable.Price.of(0.10, 0.20));
        assertThat(table.find("together_ai", "llama-3.3-70b-instruct")).contains(PriceTable.Price.of(0.59, 0.79));
        assertThat(table.find("", "custom-model-v2")).contains(PriceTable.Price.of(5, 5));
        assertThat(table.prices()).containsKey("custom-model");
        assertThat(DEFAULTS.find("openai", "gpt-4o-mini")).get().isNotEqualTo(PriceTable.Price.of(1, 2));
    }

    @Test
    void emptyTableCostsNothing() {
        assertThat(PriceTable.empty().costUsd("openai", "gpt-4o", new TokenUsage(1_000_000, 0, 0, 0, 0))).isZero();
        assertThat(PriceTable.of(Map.of("m", PriceTable.Price.of(1, 1))).costUsd("x", "m", new TokenUsage(1_000_000, 0, 0, 0, 0)))
                .isEqualTo(1.0);
    }

    @Test
    void failsFastOnBadConfiguration() {
        assertThatThrownBy(() -> PriceTable.of(Map.of(" ", PriceTable.Price.of(1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provider/model-prefix");
        assertThatThrownBy(() -> PriceTable.of(Map.of("a/b/c", PriceTable.Price.of(1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PriceTable.Price.of(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PriceTable.Price.of(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
