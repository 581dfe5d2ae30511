package dev.agentwatch.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Model prices in USD per million tokens, and the cost of one step's tokens. Immutable and
 * thread-safe.
 *
 * <p><b>Keys</b> are lower-case model-name prefixes ({@code gpt-4o-mini}), optionally qualified
 * by provider ({@code groq/llama-3.3-70b}); a provider-qualified key only applies when the step's
 * provider equals its qualifier, and beats any bare key. A key matches a model name that equals
 * it or continues it after a separator ({@code -}, {@code _}, {@code :}, {@code @}), and the
 * longest matching key wins: {@code gpt-4o-mini-2024-07-18} prices as {@code gpt-4o-mini}, not
 * {@code gpt-4o}; {@code gpt-4.1} never matches {@code gpt-4}. Before matching, a model name is
 * lower-cased and cut after its last {@code /} ({@code models/gemini-1.5-pro},
 * {@code openai/gpt-4o}); if nothing matches, leading dotted vendor and region segments are dropped
 * one at a time ({@code us.anthropic.claude-3-5-sonnet-20240620-v1:0} → {@code claude-3-5-sonnet-...}).
 *
 * <p><b>Cost</b> follows the OTel GenAI rule that {@link TokenUsage#inputTokens()} includes cache
 * reads and writes: uncached input, cache reads, cache writes and output are each billed at their
 * own price. Reasoning tokens are part of output and not billed twice. Unknown model: cost 0.
 *
 * <p>{@link #defaults()} holds indicative public list prices (standard tier, short context) for
 * common models; they drift, so deployments override them from configuration with
 * {@link #withOverrides(Map)}.
 */
public final class PriceTable {

    /**
     * Prices in USD per million tokens.
     *
     * @param inputPerMillion      uncached input tokens
     * @param outputPerMillion     output tokens (reasoning included)
     * @param cacheReadPerMillion  input tokens read from the provider's prompt cache
     * @param cacheWritePerMillion input tokens written to the prompt cache
     */
    public record Price(double inputPerMillion, double outputPerMillion, double cacheReadPerMillion,
                        double cacheWritePerMillion) {
        public Price {
            for (double p : new double[] {inputPerMillion, outputPerMillion, cacheReadPerMillion, cacheWritePerMillion}) {
                if (!(p >= 0) || Double.isInfinite(p)) {
                    throw new IllegalArgumentException("prices must be finite and non-negative: " + p);
                }
            }
        }

        /** Input and output prices; cache reads and writes cost the same as input. */
        public static Price of(double inputPerMillion, double outputPerMillion) {
            return new Price(inputPerMillion, outputPerMillion, inputPerMillion, inputPerMillion);
        }

        /** Cost in USD of {@code tokens} at these prices. */
        public double costUsd(TokenUsage tokens) {
            long cached = tokens.cacheReadTokens() + tokens.cacheWriteTokens();
            long uncached = Math.max(0, tokens.inputTokens() - cached);
            return (uncached * inputPerMillion
                    + tokens.cacheReadTokens() * cacheReadPerMillion
                    + tokens.cacheWriteTokens() * cacheWritePerMillion
                    + tokens.outputTokens() * outputPerMillion) / 1_000_000.0;
        }
    }

    private record Entry(String provider, String prefix, Price price) {
    }

    private static final PriceTable EMPTY = new PriceTable(Map.of());
    private static final PriceTable DEFAULTS = new PriceTable(defaultPrices());

    private final Map<String, Price> prices;
    /** Provider-qualified entries first, then bare ones; longest prefix first within each. */
    private final List<Entry> entries;

    private PriceTable(Map<String, Price> prices) {
        Map<String, Price> normalized = new LinkedHashMap<>();
        prices.forEach((key, price) -> normalized.put(normalizeKey(key), Objects.requireNonNull(price, "price of " + key)));
        this.prices = Map.copyOf(normalized);
        List<Entry> list = new ArrayList<>();
        normalized.forEach((key, price) -> {
            int slash = key.indexOf('/');
            list.add(slash < 0 ? new Entry("", key, price) : new Entry(key.substring(0, slash), key.substring(slash + 1), price));
        });
        list.sort(Comparator.comparing((Entry e) -> e.provider().isEmpty())
                .thenComparing(e -> -e.prefix().length())
                .thenComparing(Entry::prefix));
        this.entries = List.copyOf(list);
    }

    /** A table with no prices: every cost is 0. */
    public static PriceTable empty() {
        return EMPTY;
    }

    /** Indicative list prices for common OpenAI, Anthropic, Google, Meta Llama and Mistral models. */
    public static PriceTable defaults() {
        return DEFAULTS;
    }

    /**
     * A table of exactly these prices.
     *
     * @throws IllegalArgumentException if a key is blank or malformed (say which and why)
     */
    public static PriceTable of(Map<String, Price> prices) {
        return new PriceTable(prices);
    }

    /** This table with {@code overrides} added; an override replaces the price of the same key. */
    public PriceTable withOverrides(Map<String, Price> overrides) {
        Map<String, Price> merged = new LinkedHashMap<>(prices);
        overrides.forEach((key, price) -> merged.put(normalizeKey(key), price));
        return new PriceTable(merged);
    }

    /** Every price by normalized key, for logging the effective configuration. */
    public Map<String, Price> prices() {
        return prices;
    }

    /** Two tables are equal when they hold the same prices under the same keys. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PriceTable table && prices.equals(table.prices);
    }

    @Override
    public int hashCode() {
        return prices.hashCode();
    }

    /** The price for a model, if any key matches (see the class doc for the matching rules). */
    public Optional<Price> find(String provider, String model) {
        String p = provider == null ? "" : provider.strip().toLowerCase(Locale.ROOT);
        String m = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) {
            m = m.substring(slash + 1);
        }
        while (!m.isEmpty()) {
            for (Entry e : entries) {
                if ((e.provider().isEmpty() || e.provider().equals(p)) && matches(m, e.prefix())) {
                    return Optional.of(e.price());
                }
            }
            int dot = m.indexOf('.');
            if (dot < 0) {
                break;
            }
            m = m.substring(dot + 1);
        }
        return Optional.empty();
    }

    /** Cost in USD of {@code tokens} on this model; 0 when the model is unknown. */
    public double costUsd(String provider, String model, TokenUsage tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return find(provider, model).map(price -> price.costUsd(tokens)).orElse(0.0);
    }

    private static boolean matches(String model, String prefix) {
        if (!model.startsWith(prefix)) {
            return false;
        }
        if (model.length() == prefix.length()) {
            return true;
        }
        char next = model.charAt(prefix.length());
        return next == '-' || next == '_' || next == ':' || next == '@';
    }

    private static String normalizeKey(String key) {
        Objects.requireNonNull(key, "price key");
        String k = key.strip().toLowerCase(Locale.ROOT);
        int slash = k.indexOf('/');
        if (k.isEmpty() || slash == 0 || slash == k.length() - 1 || (slash >= 0 && k.indexOf('/', slash + 1) >= 0)) {
            throw new IllegalArgumentException("price key must be 'model-prefix' or 'provider/model-prefix', got '" + key + "'");
        }
        return k;
    }

    private static Map<String, Price> defaultPrices() {
        Map<String, Price> p = new LinkedHashMap<>();
        // OpenAI: cached input at the published discount, no cache-write surcharge.
        p.put("gpt-4o", new Price(2.50, 10.00, 1.25, 2.50));
        p.put("gpt-4o-mini", new Price(0.15, 0.60, 0.075, 0.15));
        p.put("gpt-4.1", new Price(2.00, 8.00, 0.50, 2.00));
        p.put("gpt-4.1-mini", new Price(0.40, 1.60, 0.10, 0.40));
        p.put("gpt-4.1-nano", new Price(0.10, 0.40, 0.025, 0.10));
        p.put("gpt-4-turbo", Price.of(10.00, 30.00));
        p.put("gpt-4", Price.of(30.00, 60.00));
        p.put("gpt-3.5-turbo", Price.of(0.50, 1.50));
        p.put("gpt-5", new Price(1.25, 10.00, 0.125, 1.25));
        p.put("gpt-5-mini", new Price(0.25, 2.00, 0.025, 0.25));
        p.put("gpt-5-nano", new Price(0.05, 0.40, 0.005, 0.05));
        p.put("o1", new Price(15.00, 60.00, 7.50, 15.00));
        p.put("o1-mini", new Price(1.10, 4.40, 0.55, 1.10));
        p.put("o3", new Price(2.00, 8.00, 0.50, 2.00));
        p.put("o3-mini", new Price(1.10, 4.40, 0.55, 1.10));
        p.put("o4-mini", new Price(1.10, 4.40, 0.275, 1.10));
        p.put("text-embedding-3-small", Price.of(0.02, 0));
        p.put("text-embedding-3-large", Price.of(0.13, 0));
        p.put("text-embedding-ada-002", Price.of(0.10, 0));
        // Anthropic: cache reads at 0.1x input, 5-minute cache writes at 1.25x input.
        p.put("claude-3-haiku", new Price(0.25, 1.25, 0.03, 0.30));
        p.put("claude-3-5-haiku", new Price(0.80, 4.00, 0.08, 1.00));
        p.put("claude-haiku-4-5", new Price(1.00, 5.00, 0.10, 1.25));
        p.put("claude-3-sonnet", new Price(3.00, 15.00, 0.30, 3.75));
        p.put("claude-3-5-sonnet", new Price(3.00, 15.00, 0.30, 3.75));
        p.put("claude-3-7-sonnet", new Price(3.00, 15.00, 0.30, 3.75));
        p.put("claude-sonnet-4", new Price(3.00, 15.00, 0.30, 3.75));
        p.put("claude-3-opus", new Price(15.00, 75.00, 1.50, 18.75));
        p.put("claude-opus-4", new Price(15.00, 75.00, 1.50, 18.75));
        p.put("claude-opus-4-5", new Price(5.00, 25.00, 0.50, 6.25));
        // Google Gemini (prompts up to 128k/200k tokens); context caching billed as cached input.
        p.put("gemini-1.5-flash", new Price(0.075, 0.30, 0.01875, 0.075));
        p.put("gemini-1.5-flash-8b", new Price(0.0375, 0.15, 0.01, 0.0375));
        p.put("gemini-1.5-pro", new Price(1.25, 5.00, 0.3125, 1.25));
        p.put("gemini-2.0-flash", new Price(0.10, 0.40, 0.025, 0.10));
        p.put("gemini-2.0-flash-lite", Price.of(0.075, 0.30));
        p.put("gemini-2.5-flash", new Price(0.30, 2.50, 0.075, 0.30));
        p.put("gemini-2.5-flash-lite", new Price(0.10, 0.40, 0.025, 0.10));
        p.put("gemini-2.5-pro", new Price(1.25, 10.00, 0.31, 1.25));
        // Open-weight models: typical hosted prices; they vary by host, so qualify overrides by provider.
        p.put("llama-3.1-8b", Price.of(0.05, 0.08));
        p.put("llama-3.1-70b", Price.of(0.59, 0.79));
        p.put("llama-3.3-70b", Price.of(0.59, 0.79));
        p.put("llama-3.1-405b", Price.of(3.00, 3.00));
        p.put("mistral-large", Price.of(2.00, 6.00));
        p.put("mistral-medium", Price.of(0.40, 2.00));
        p.put("mistral-small", Price.of(0.10, 0.30));
        p.put("open-mistral-nemo", Price.of(0.15, 0.15));
        p.put("codestral", Price.of(0.30, 0.90));
        return p;
    }
}
