package dev.agentwatch.model;

/**
 * Token counts of one step. Zero means "not reported"; the counts are never negative.
 * {@code inputTokens} includes cache reads and writes, as the OTel GenAI conventions require.
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                         long reasoningTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    public TokenUsage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
