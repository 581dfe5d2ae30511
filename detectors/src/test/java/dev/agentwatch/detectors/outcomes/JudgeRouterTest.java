package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentwatch.model.RunReview;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JudgeRouterTest {
    private final JudgeRouter router = new JudgeRouter(OutcomeReconciliationConfig.defaults());

    @Test
    void confidenceIsTheDistanceFromTheThresholdScaledToTheRoomOnThatSide() {
        assertThat(router.confidence(0.5)).isEqualTo(0.0);
        assertThat(router.confidence(1.0)).isEqualTo(1.0);
        assertThat(router.confidence(0.0)).isEqualTo(1.0);
        assertThat(router.confidence(0.75)).isCloseTo(0.5, within(1e-9));
        assertThat(router.confidence(0.3)).isCloseTo(0.4, within(1e-9));
        assertThat(router.confidence(7.0)).isEqualTo(1.0);
    }

    @Test
    void sendsUnsureJudgementsToReviewWhetherApprovedOrRejected() {
        assertThat(router.route(run("r1").judge(0.62).build())).map(RunReview::reason).contains(RunReview.Reason.REVIEW);
        assertThat(router.route(run("r2").judge(0.41).build())).map(RunReview::reason).contains(RunReview.Reason.REVIEW);
    }

    @Test
    void neverRoutesConfidentRejectionsOrUnjudgedRuns() {
        assertThat(router.route(run("r1").judge(0.05).build())).isEmpty();
        assertThat(router.route(run("r2").judgeLabel("pass").build())).isEmpty();
        assertThat(router.route(run("r3").build())).isEmpty();
    }

    @Test
    void auditsAboutTheConfiguredShareOfConfidentApprovals() {
        Random random = new Random(42);
        int audited = 0;
        int runs = 40_000;
        for (int i = 0; i < runs; i++) {
            byte[] id = new byte[16];
            random.nextBytes(id);
            if (router.route(run(HexFormat.of().formatHex(id)).judge(0.95).build()).isPresent()) {
                audited++;
            }
        }

        // 5% of 40,000: the binomial standard deviation is about 44, so +-250 is over 5 sigma.
        assertThat(audited).isBetween(2_000 - 250, 2_000 + 250);
    }

    @Test
    void theAuditDrawDependsOnTheRunIdAloneSoEveryInstanceAgrees() {
        JudgeRouter another = new JudgeRouter(OutcomeReconciliationConfig.defaults());
        for (int i = 0; i < 1_000; i++) {
            String runId = "run-" + i;
            assertThat(router.route(run(runId).judge(0.97).build()))
                    .isEqualTo(another.route(run(runId).judge(0.97).build()));
        }
        assertThat(JudgeRouter.auditDraw("4bf92f3577b34da6a3ce929d0e0e4736"))
                .isEqualTo(JudgeRouter.auditDraw("4bf92f3577b34da6a3ce929d0e0e4736"))
                .isBetween(0.0, 1.0);
    }

    @Test
    void aReviewCarriesTheRunAndTheDecisionTimeOfItsRevision() {
        RunReview review = router.route(run("r1").judge(0.55).subject("claim-1").revision(2).build()).orElseThrow();

        assertThat(review.runId()).isEqualTo("r1");
        assertThat(review.subjectId()).isEqualTo("claim-1");
        assertThat(review.runRevision()).isEqualTo(2);
        assertThat(review.judgeScore()).isEqualTo(0.55);
        assertThat(review.judgeConfidence()).isCloseTo(0.1, within(1e-9));
        assertThat(review.decidedAtEpochMillis()).isEqualTo(run("r1").revision(2).build().closedAtEpochMillis());
    }
}
