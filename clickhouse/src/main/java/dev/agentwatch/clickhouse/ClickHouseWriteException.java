package dev.agentwatch.clickhouse;

/** A batch could not be written; the batch is intact and may be retried. */
public final class ClickHouseWriteException extends RuntimeException {
    public ClickHouseWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
