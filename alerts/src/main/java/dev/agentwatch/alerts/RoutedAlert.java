package dev.agentwatch.alerts;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An alert on its way to one aggregation group.
 *
 * @param groupKey    {@code <route key>:<group labels>}, e.g. {@code {}/{severity="critical"}:{alertname="loop"}}
 * @param routeKey    the route node that took it
 * @param receiver    the route's receiver
 * @param groupLabels the alert's values of the route's {@code group_by} labels
 * @param alert       the alert
 */
public record RoutedAlert(String groupKey, String routeKey, String receiver, Map<String, String> groupLabels, Alert alert) {
    public RoutedAlert {
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(routeKey, "routeKey");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(alert, "alert");
        groupLabels = Map.copyOf(groupLabels);
    }

    /** Routes {@code alert} to {@code route}'s group. */
    public static RoutedAlert of(Route route, Alert alert) {
        Map<String, String> groupLabels = new TreeMap<>();
        if (route.groupBy().contains(Route.GROUP_BY_ALL)) {
            groupLabels.putAll(alert.labels());
        } else {
            for (String name : route.groupBy()) {
                String value = alert.labels().get(name);
                if (value != null) {
                    groupLabels.put(name, value);
                }
            }
        }
        return new RoutedAlert(route.key() + ":" + labelSetText(groupLabels), route.key(), route.receiver(), groupLabels, alert);
    }

    /** {@code {a="x", b="y"}}, sorted by name, as Alertmanager prints label sets. */
    static String labelSetText(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
