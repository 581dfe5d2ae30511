package dev.agentwatch.instrumentation;

/**
 * Token counts of one model call, as the OTel GenAI conventions define them: {@code inputTokens}
 * includes cache reads and cache writes, {@code outputTokens} includes reasoning. (Anthropic's
 * own {@code input_tokens} excludes the cache: add {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens} to it before building this.)
 *
 * @param inputTokens          all input tokens, cached or not
 * @param outputTokens         all output tokens, reasoning included
 * @param cacheReadInputTokens input tokens served from the provider's prompt cache
 * @param cacheWriteInputTokens input tokens written to the prompt cache
 * @param reasoningOutputTokens output tokens spent on reasoning
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheWriteInputTokens,
                    long reasoningOutputTokens) {

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadInputTokens < 0 || cacheWriteInputTokens < 0
                || reasoningOutputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        if (cacheReadInputTokens + cacheWriteInputTokens > inputTokens) {
            throw new IllegalArgumentException("inputTokens (" + inputTokens + ") must include cache reads ("
                    + cacheReadInputTokens + ") and cache writes (" + cacheWriteInputTokens + ")");
        }
        if (reasoningOutputTokens > outputTokens) {
            throw new IllegalArgumentException("outputTokens (" + outputTokens + ") must include reasoning tokens ("
                    + reasoningOutputTokens + ")");
        }
    }

    /** Plain input and output counts, no cache or reasoning. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0, 0);
    }
}
