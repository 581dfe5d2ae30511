package dev.agentwatch.detectors.outcomes;

/**
 * Keys of the reconciliation stages. Each starts with the tenant, length-prefixed so that no
 * tenant name can forge another tenant's key: an outcome can only ever meet runs of its own
 * tenant, even if it names another tenant's run id or subject.
 */
final class ReconciliationKeys {
    private ReconciliationKeys() {
    }

    static String run(String tenant, String runId) {
        return tenant.length() + ":" + tenant + "|run|" + runId;
    }

    static String subject(String tenant, String subjectId) {
        return tenant.length() + ":" + tenant + "|subject|" + subjectId;
    }

    static String agent(String tenant, String agentName) {
        return tenant.length() + ":" + tenant + "|agent|" + agentName;
    }
}
