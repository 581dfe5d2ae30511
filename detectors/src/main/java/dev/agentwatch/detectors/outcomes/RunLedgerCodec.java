package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.detectors.outcomes.RunLedger.MatchedOutcome;
import dev.agentwatch.detectors.outcomes.RunLedger.RateContribution;
import dev.agentwatch.detectors.outcomes.RunLedger.RelatedFinding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Severity;
import dev.agentwatch.topics.BinarySerde;
import dev.agentwatch.topics.JsonSerde;
import dev.agentwatch.topics.Topics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * The binary form of a {@link RunLedger} in the run-ledger store and its changelog. Every closed
 * run gets a ledger, and most never see an outcome, so the ledger is mostly its run: written as
 * on {@code agentwatch_runs}, where JSON made a third of the outcomes pipeline's CPU. Outcomes,
 * rare per run, stay JSON. Strings are length-prefixed UTF-8, never truncated. Ledgers stored as
 * JSON by earlier releases are still read ({@link BinarySerde}).
 */
final class RunLedgerCodec {
    private static final int VERSION = 1;
    /** Where a nested serde's errors say they were: the store, not a topic. */
    private static final String STORE = "run ledger";
    private static final Serde<Run> RUNS = Topics.RUNS.valueSerde();
    private static final JsonSerde<MatchedOutcome> OUTCOMES = JsonSerde.of(MatchedOutcome.class);

    private RunLedgerCodec() {
    }

    static Serde<RunLedger> serde() {
        return BinarySerde.of(RunLedger.class, VERSION, RunLedgerCodec::write, RunLedgerCodec::read);
    }

    static void write(RunLedger ledger, DataOutputStream out) throws IOException {
        out.writeBoolean(ledger.hasRun());
        if (ledger.hasRun()) {
            bytes(out, RUNS.serializer().serialize(STORE, ledger.run()));
        }
        out.writeInt(ledger.outcomes().size());
        for (MatchedOutcome outcome : ledger.outcomes()) {
            bytes(out, OUTCOMES.serializer().serialize(STORE, outcome));
        }
        out.writeInt(ledger.relatedFindings().size());
        for (RelatedFinding finding : ledger.relatedFindings()) {
            string(out, finding.fingerprint());
            string(out, finding.detector());
            string(out, finding.severity().name());
            string(out, finding.stepId());
            string(out, finding.summary());
            out.writeLong(finding.eventEpochNanos());
        }
        out.writeInt(ledger.reportedDetectors().size());
        for (String detector : ledger.reportedDetectors()) {
            string(out, detector);
        }
        RateContribution contribution = ledger.contribution();
        out.writeBoolean(contribution != null);
        if (contribution != null) {
            string(out, contribution.tenant());
            string(out, contribution.agentName());
            string(out, contribution.agentVersion());
            out.writeLong(contribution.hourStartMillis());
            out.writeBoolean(contribution.silentFailure());
        }
        out.writeLong(ledger.version());
        out.writeLong(ledger.lastEventMillis());
        out.writeLong(ledger.overdueAtMillis());
    }

    static RunLedger read(DataInputStream in) throws IOException {
        Run run = in.readBoolean() ? RUNS.deserializer().deserialize(STORE, bytes(in)) : null;
        int outcomeCount = count(in);
        List<MatchedOutcome> outcomes = new ArrayList<>(outcomeCount);
        for (int i = 0; i < outcomeCount; i++) {
            outcomes.add(OUTCOMES.deserializer().deserialize(STORE, bytes(in)));
        }
        int findingCount = count(in);
        List<RelatedFinding> findings = new ArrayList<>(findingCount);
        for (int i = 0; i < findingCount; i++) {
            findings.add(new RelatedFinding(string(in), string(in), Severity.valueOf(string(in)), string(in), string(in),
                    in.readLong()));
        }
        int reportedCount = count(in);
        List<String> reported = new ArrayList<>(reportedCount);
        for (int i = 0; i < reportedCount; i++) {
            reported.add(string(in));
        }
        RateContribution contribution = in.readBoolean()
                ? new RateContribution(string(in), string(in), string(in), in.readLong(), in.readBoolean())
                : null;
        return new RunLedger(run, outcomes, findings, reported, contribution, in.readLong(), in.readLong(), in.readLong());
    }

    private static void bytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[count(in)];
        in.readFully(bytes);
        return bytes;
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        bytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(DataInputStream in) throws IOException {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    /** A count or length, which cannot exceed the bytes left: a corrupt one fails here, not in an allocation. */
    private static int count(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IOException("a count of " + count + " where " + in.available() + " bytes are left");
        }
        return count;
    }
}
