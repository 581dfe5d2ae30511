package dev.agentwatch.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node of the routing tree, as in Alertmanager: an alert enters a node whose matchers it
 * satisfies, then tries the children in order; the first matching child wins unless it has
 * {@code continueMatching}. An alert no child takes stays at this node.
 *
 * @param key              stable identity of the node, e.g. {@code {}/{severity="critical"}}; part of group keys
 * @param matchers         all must match
 * @param receiver         receiver name
 * @param groupBy          label names that form groups; {@code ["..."]} groups by every label
 * @param timing           group wait, interval and repeat
 * @param continueMatching whether siblings after this one are tried too when it matches
 * @param routes           children
 */
public record Route(String key, List<LabelMatcher> matchers, String receiver, List<String> groupBy, GroupTiming timing,
                    boolean continueMatching, List<Route> routes) {
    public static final String GROUP_BY_ALL = "...";

    public Route {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(timing, "timing");
        matchers = List.copyOf(matchers);
        groupBy = List.copyOf(groupBy);
        routes = List.copyOf(routes);
    }

    /** The nodes that take an alert with {@code labels}, in tree order; empty if this node does not match. */
    public List<Route> match(Map<String, String> labels) {
        if (!matchers.stream().allMatch(m -> m.matches(labels))) {
            return List.of();
        }
        List<Route> taken = new ArrayList<>();
        for (Route child : routes) {
            List<Route> childTaken = child.match(labels);
            taken.addAll(childTaken);
            if (!childTaken.isEmpty() && !child.continueMatching) {
                break;
            }
        }
        return taken.isEmpty() ? List.of(this) : taken;
    }

    /** This node and all below it. */
    public List<Route> flatten() {
        List<Route> all = new ArrayList<>();
        all.add(this);
        routes.forEach(child -> all.addAll(child.flatten()));
        return all;
    }
}
