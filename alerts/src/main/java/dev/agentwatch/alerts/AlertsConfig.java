package dev.agentwatch.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The routing config: global settings, the route tree, receivers and the delivery retry policy,
 * validated as a whole. Read from YAML (or JSON, which is YAML) in Alertmanager's shape; see
 * {@code alerts/examples/alerts.yaml}.
 *
 * @param resolveTimeout how long after its last finding an alert without an explicit end resolves
 * @param maxFindingAge  findings detected longer ago are skipped (counted): a notifier enabled on an
 *                       old findings topic, or back from a long outage, does not page for history
 * @param externalUrl    this notifier's base URL, sent as {@code externalURL}
 * @param links          link templates back to Grafana
 * @param route          the root of the routing tree
 * @param receivers      receivers by name
 * @param retry          delivery retries
 */
public record AlertsConfig(Duration resolveTimeout, Duration maxFindingAge, String externalUrl, LinkTemplates links, Route route,
                           Map<String, Receiver> receivers, RetryPolicy retry) {
    static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_MAX_FINDING_AGE = Duration.ofHours(1);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int MIN_SECRET_LENGTH = 16;

    public AlertsConfig {
        Objects.requireNonNull(resolveTimeout, "resolveTimeout");
        Objects.requireNonNull(maxFindingAge, "maxFindingAge");
        Objects.requireNonNull(externalUrl, "externalUrl");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(retry, "retry");
        receivers = Map.copyOf(receivers);
    }

    /** The policy of groups formed by {@code routeKey}'s route; empty if the route no longer exists. */
    public java.util.Optional<GroupPolicy> policyOf(String routeKey, String receiverName) {
        Route found = route.flatten().stream().filter(r -> r.key().equals(routeKey)).findFirst().orElse(null);
        Receiver receiver = receivers.get(receiverName);
        if (found == null || receiver == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new GroupPolicy(found.timing(), receiver.sendResolved(), resolveTimeout));
    }

    Map<String, Route> routesByKey() {
        Map<String, Route> byKey = new LinkedHashMap<>();
        route.flatten().forEach(r -> byKey.put(r.key(), r));
        return byKey;
    }

    /** Reads and validates {@code file}; every problem is reported in one message. */
    public static AlertsConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read alerts config " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("alerts config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates YAML text. */
    public static AlertsConfig parse(String yaml) {
        ObjectMapper mapper = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        ConfigFile file;
        try {
            file = mapper.readValue(yaml, ConfigFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field '" + path(e) + "'" + at(e) + "; known fields there: "
                    + e.getKnownPropertyIds(), e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("bad value for '" + path(e) + "'" + at(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML" + at(e) + ": " + e.getOriginalMessage(), e);
        }
        if (file == null) {
            throw new IllegalArgumentException("the file is empty");
        }
        return new Validation().build(file);
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (near line " + e.getLocation().getLineNr() + ")";
    }

    /** {@code route.routes[1].group_by}: where in the file the problem is. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Builds the typed config, collecting every problem before failing. */
    private static final class Validation {
        private final List<String> problems = new ArrayList<>();

        AlertsConfig build(ConfigFile file) {
            ConfigFile.Global global = file.global() == null ? new ConfigFile.Global(null, null, null, null, null) : file.global();
            Duration resolveTimeout = duration(global.resolveTimeout(), DEFAULT_RESOLVE_TIMEOUT, "global.resolve_timeout");
            if (resolveTimeout.isZero()) {
                problems.add("global.resolve_timeout must be positive");
                resolveTimeout = DEFAULT_RESOLVE_TIMEOUT;
            }
            Duration maxFindingAge = duration(global.maxFindingAge(), DEFAULT_MAX_FINDING_AGE, "global.max_finding_age");
            String externalUrl = global.externalUrl() == null ? "" : global.externalUrl().strip();
            if (!externalUrl.isEmpty()) {
                url(externalUrl, "global.external_url");
            }
            LinkTemplates links = LinkTemplates.none();
            try {
                links = new LinkTemplates(global.runUrlTemplate() == null ? "" : global.runUrlTemplate().strip(),
                        global.agentUrlTemplate() == null ? "" : global.agentUrlTemplate().strip());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }

            Map<String, Receiver> receivers = new LinkedHashMap<>();
            List<ConfigFile.ReceiverSpec> receiverSpecs = file.receivers() == null ? List.of() : file.receivers();
            if (receiverSpecs.isEmpty()) {
                problems.add("receivers: at least one receiver is required");
            }
            Map<String, String> byGroupName = new LinkedHashMap<>();
            for (int i = 0; i < receiverSpecs.size(); i++) {
                Receiver receiver = receiver(receiverSpecs.get(i), "receivers[" + i + "]");
                if (receiver != null && receivers.putIfAbsent(receiver.name(), receiver) != null) {
                    problems.add("receivers[" + i + "]: duplicate receiver name '" + receiver.name() + "'");
                } else if (receiver != null) {
                    // Each receiver's delivery has a consumer group named after it: two sharing one
                    // would split the notifications between them, each skipping the other's.
                    String other = byGroupName.putIfAbsent(consumerGroupName(receiver.name()), receiver.name());
                    if (other != null) {
                        problems.add("receivers[" + i + "]: receiver name '" + receiver.name() + "' is too close to '"
                                + other + "' (they differ only in characters other than letters, digits, '.', '_', '-')");
                    }
                }
            }

            ConfigFile.Delivery delivery = file.delivery() == null ? new ConfigFile.Delivery(null, null, null) : file.delivery();
            RetryPolicy retry = RetryPolicy.DEFAULTS;
            try {
                retry = new RetryPolicy(delivery.maxAttempts() == null ? RetryPolicy.DEFAULTS.maxAttempts() : delivery.maxAttempts(),
                        duration(delivery.initialBackoff(), RetryPolicy.DEFAULTS.initialBackoff(), "delivery.initial_backoff"),
                        duration(delivery.maxBackoff(), RetryPolicy.DEFAULTS.maxBackoff(), "delivery.max_backoff"));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }

            Route route = null;
            if (file.route() == null) {
                problems.add("route: the root route is required");
            } else {
                if (file.route().matchers() != null && !file.route().matchers().isEmpty()) {
                    problems.add("route: the root route must not have matchers (it takes every alert)");
                }
                if (file.route().continueMatching() != null) {
                    problems.add("route: 'continue' has no meaning on the root route");
                }
                route = route(file.route(), null, "{}", "route", receivers.keySet(), new HashSet<>(), receiverSpecs.isEmpty());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
            }
            return new AlertsConfig(resolveTimeout, maxFindingAge, externalUrl, links, route, receivers, retry);
        }

        private Route route(ConfigFile.RouteSpec spec, Route parent, String key, String where, Set<String> receiverNames,
                            Set<String> keys, boolean noReceivers) {
            String receiver = spec.receiver() != null ? spec.receiver().strip() : parent == null ? null : parent.receiver();
            if (receiver == null || receiver.isEmpty()) {
                problems.add(where + ": receiver is required on the root route");
                receiver = "";
            } else if (!receiverNames.contains(receiver) && !noReceivers) {
                problems.add(where + ": unknown receiver '" + receiver + "'; defined receivers: " + receiverNames);
            }
            List<LabelMatcher> matchers = new ArrayList<>();
            if (spec.matchers() != null) {
                for (int i = 0; i < spec.matchers().size(); i++) {
                    try {
                        matchers.add(LabelMatcher.parse(spec.matchers().get(i)));
                    } catch (IllegalArgumentException e) {
                        problems.add(where + ".matchers[" + i + "]: " + e.getMessage());
                    }
                }
            }
            List<String> groupBy = spec.groupBy() != null ? List.copyOf(spec.groupBy())
                    : parent == null ? List.of("alertname", "tenant") : parent.groupBy();
            if (groupBy.contains(Route.GROUP_BY_ALL) && groupBy.size() > 1) {
                problems.add(where + ".group_by: '...' groups by all labels and cannot be combined with other names");
            }
            GroupTiming inherited = parent == null ? GroupTiming.DEFAULTS : parent.timing();
            GroupTiming timing = inherited;
            try {
                timing = new GroupTiming(duration(spec.groupWait(), inherited.groupWait(), where + ".group_wait"),
                        duration(spec.groupInterval(), inherited.groupInterval(), where + ".group_interval"),
                        duration(spec.repeatInterval(), inherited.repeatInterval(), where + ".repeat_interval"));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
            String uniqueKey = key;
            for (int n = 1; !keys.add(uniqueKey); n++) {
                uniqueKey = key + "#" + n;
            }
            Route self = new Route(uniqueKey, matchers, receiver, groupBy, timing,
                    spec.continueMatching() != null && spec.continueMatching(), List.of());
            List<Route> children = new ArrayList<>();
            List<ConfigFile.RouteSpec> childSpecs = spec.routes() == null ? List.of() : spec.routes();
            for (int i = 0; i < childSpecs.size(); i++) {
                ConfigFile.RouteSpec child = childSpecs.get(i);
                String childMatchers = child.matchers() == null ? "{}" : "{" + String.join(", ", child.matchers()) + "}";
                children.add(route(child, self, uniqueKey + "/" + childMatchers, where + ".routes[" + i + "]", receiverNames,
                        keys, noReceivers));
            }
            return new Route(uniqueKey, matchers, receiver, groupBy, timing, self.continueMatching(), children);
        }

        private Receiver receiver(ConfigFile.ReceiverSpec spec, String where) {
            if (spec.name() == null || spec.name().isBlank()) {
                problems.add(where + ": name is required");
                return null;
            }
            String name = spec.name().strip();
            where = where + " '" + name + "'";
            int kinds = (spec.webhook() == null ? 0 : 1) + (spec.pagerduty() == null ? 0 : 1) + (spec.slack() == null ? 0 : 1);
            if (kinds != 1) {
                problems.add(where + ": give exactly one of webhook, pagerduty or slack");
                return null;
            }
            try {
                if (spec.webhook() != null) {
                    ConfigFile.WebhookSpec w = spec.webhook();
                    URI url = url(w.url(), where + ".webhook.url");
                    if (w.secret() == null || w.secret().length() < MIN_SECRET_LENGTH) {
                        problems.add(where + ".webhook.secret: a signing secret of at least " + MIN_SECRET_LENGTH
                                + " characters is required (receivers verify X-Agentwatch-Signature with it)");
                    }
                    return url == null ? null : new Receiver.Webhook(name, url, w.secret() == null ? "" : w.secret(),
                            w.sendResolved() == null || w.sendResolved(), duration(w.timeout(), DEFAULT_TIMEOUT, where + ".webhook.timeout"),
                            rate(spec, 0), w.maxAlerts() == null ? 0 : w.maxAlerts());
                }
                if (spec.pagerduty() != null) {
                    ConfigFile.PagerDutySpec p = spec.pagerduty();
                    URI url = url(p.url() == null ? "https://events.pagerduty.com/v2/enqueue" : p.url(), where + ".pagerduty.url");
                    if (p.routingKey() == null || p.routingKey().isBlank()) {
                        problems.add(where + ".pagerduty.routing_key is required");
                    }
                    return url == null ? null : new Receiver.PagerDuty(name, url, p.routingKey() == null ? "" : p.routingKey().strip(),
                            p.source() == null ? "agentwatch" : p.source(), p.sendResolved() == null || p.sendResolved(),
                            duration(p.timeout(), DEFAULT_TIMEOUT, where + ".pagerduty.timeout"), rate(spec, 120));
                }
                ConfigFile.SlackSpec s = spec.slack();
                URI url = url(s.url(), where + ".slack.url");
                return url == null ? null : new Receiver.Slack(name, url, s.sendResolved() == null || s.sendResolved(),
                        duration(s.timeout(), DEFAULT_TIMEOUT, where + ".slack.timeout"), rate(spec, 60));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
                return null;
            }
        }

        private static int rate(ConfigFile.ReceiverSpec spec, int defaultPerMinute) {
            return spec.maxPerMinute() == null ? defaultPerMinute : spec.maxPerMinute();
        }

        private URI url(String text, String where) {
            if (text == null || text.isBlank()) {
                problems.add(where + " is required");
                return null;
            }
            try {
                URI uri = new URI(text.strip());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add(where + ": '" + Receiver.redactedUrl(uri) + "' is not an absolute http(s) URL with a host");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problems.add(where + ": not a valid URL (" + e.getReason() + ")");
                return null;
            }
        }

        private Duration duration(String text, Duration fallback, String where) {
            if (text == null) {
                return fallback;
            }
            try {
                return DurationText.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
                return fallback;
            }
        }
    }

    /** The part of a receiver's delivery consumer group that names it. */
    static String consumerGroupName(String receiverName) {
        return receiverName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
