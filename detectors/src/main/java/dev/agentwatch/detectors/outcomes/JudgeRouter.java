package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunReview;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Routes judged runs to humans, as teams running LLM judges in production do: a run whose judge
 * was unsure goes to review, and a fixed share of the confident approvals goes to audit, so the
 * judge's false-approval rate keeps being measured on the runs nobody would otherwise look at.
 *
 * <p>Confidence is the judge score's distance from the approval threshold, scaled so that 0 is on
 * the threshold and 1 is at the end of the scale (score 0 or 1). The audit draw hashes the run id
 * (SHA-256, first 8 bytes as a fraction of 2^64): the same run is drawn, or not, on every instance
 * and after every restart, and drawing is independent of everything the run did.
 *
 * <p>Only runs with a numeric judge score are routed: a bare label says nothing of confidence.
 * Pure and thread-safe.
 */
public final class JudgeRouter {
    private final double approvalThreshold;
    private final double reviewBelowConfidence;
    private final double auditShare;

    public JudgeRouter(OutcomeReconciliationConfig config) {
        this.approvalThreshold = config.judgeApprovalThreshold();
        this.reviewBelowConfidence = config.reviewBelowConfidence();
        this.auditShare = config.auditShare();
    }

    public Optional<RunReview> route(Run run) {
        if (!run.hasJudgeScore()) {
            return Optional.empty();
        }
        double confidence = confidence(run.judgeScore());
        RunReview.Reason reason;
        if (confidence < reviewBelowConfidence) {
            reason = RunReview.Reason.REVIEW;
        } else if (run.judgeScore() >= approvalThreshold && auditDraw(run.runId()) < auditShare) {
            reason = RunReview.Reason.AUDIT;
        } else {
            return Optional.empty();
        }
        return Optional.of(new RunReview(run.tenant(), run.agentName(), run.agentVersion(), run.runId(), run.subjectId(),
                reason, run.judgeScore(), confidence, run.revision(), run.closedAtEpochMillis()));
    }

    /** 0 on the approval threshold, 1 at the end of the [0, 1] scale; scores outside it are clamped. */
    public double confidence(double score) {
        double clamped = Math.clamp(score, 0.0, 1.0);
        double room = clamped >= approvalThreshold ? 1 - approvalThreshold : approvalThreshold;
        return Math.clamp(Math.abs(clamped - approvalThreshold) / room, 0.0, 1.0);
    }

    /** A number in [0, 1) fixed by the run id alone. */
    static double auditDraw(String runId) {
        byte[] digest = sha256(runId);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        // Unsigned 64-bit fraction; the top 53 bits are exactly representable as a double.
        return (bits >>> 11) / (double) (1L << 53);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
