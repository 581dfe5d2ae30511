package dev.agentwatch.collector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads request bodies within size limits, inflating gzip without trusting its claims, and parses
 * JSON ones within a token limit.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * A mapper for JSON request bodies: one value, nothing after it, and at most {@code maxTokens}
     * tokens (a tree is built of every token, and a small body of empty objects makes millions).
     */
    static ObjectMapper jsonMapper(long maxTokens) {
        return JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(maxTokens).build()).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** Reads at most {@code limit} bytes; more is a 413. */
    static byte[] readLimited(InputStream in, int limit, String what) throws IOException, Rejection {
        return readLimited(in, limit, what, bytes -> {
        });
    }

    /** Bytes about to be held in memory; may refuse them. */
    @FunctionalInterface
    interface Holding {
        void hold(int bytes) throws Rejection;
    }

    /** The same, telling {@code holding} of each chunk before it is kept. */
    static byte[] readLimited(InputStream in, int limit, String what, Holding holding) throws IOException, Rejection {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                throw new Rejection(413, "body_too_large", what + " is larger than the limit of " + limit + " bytes");
            }
            holding.hold(n);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Decodes the body per {@code Content-Encoding}: identity or gzip. */
    static byte[] decode(byte[] body, String contentEncoding, int decodedLimit) throws Rejection {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!contentEncoding.equalsIgnoreCase("gzip")) {
            throw new Rejection(415, "unsupported_encoding",
                    "Content-Encoding '" + contentEncoding + "' is not supported; use gzip or none");
        }
        try (InputStream gzip = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            return readLimited(gzip, decodedLimit, "decompressed body");
        } catch (Rejection e) {
            throw new Rejection(413, "decompressed_too_large", e.getMessage());
        } catch (ZipException | java.io.EOFException e) {
            throw new Rejection(400, "bad_gzip", "body is not valid gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new Rejection(400, "bad_gzip", "cannot inflate gzip body: " + e.getMessage());
        }
    }
}
