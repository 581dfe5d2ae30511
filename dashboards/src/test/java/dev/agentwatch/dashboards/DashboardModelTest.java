package dev.agentwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentwatch.dashboards.Dashboards.Dashboard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardModelTest {
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "bargauge", "table", "barchart",
            "piechart", "histogram", "heatmap", "state-timeline", "text", "row");
    private final List<Dashboard> dashboards = Dashboards.all();

    @Test
    void thereAreTheSixDashboardsTheIssueAsksFor() {
        assertThat(dashboards).extracting(Dashboard::uid).containsExactlyInAnyOrder("agentwatch-overview",
                "agentwatch-agent", "agentwatch-outcomes", "agentwatch-findings", "agentwatch-versions", "agentwatch-pipeline");
    }

    @Test
    void everyDashboardHasAUniqueStableUidAndACurrentSchemaVersion() {
        Set<String> uids = new HashSet<>();
        for (Dashboard dashboard : dashboards) {
            assertThat(uids.add(dashboard.uid())).as("unique uid %s", dashboard.uid()).isTrue();
            assertThat(dashboard.uid()).hasSizeLessThanOrEqualTo(40).matches("[a-z0-9-]+");
            assertThat(dashboard.json().path("schemaVersion").asInt()).as(dashboard.file().toString()).isBetween(36, 41);
            assertThat(dashboard.json().path("title").asText()).isNotBlank();
            assertThat(dashboard.json().path("id").isNull()).as("file dashboards leave id null").isTrue();
        }
    }

    @Test
    void panelIdsAreUniqueAndPanelsAreKnownTypesWithAQuery() {
        for (Dashboard dashboard : dashboards) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.panels()) {
                assertThat(ids.add(panel.path("id").asInt())).as("unique id in %s: %s", dashboard.uid(), panel.path("title")).isTrue();
                assertThat(PANEL_TYPES).contains(panel.path("type").asText());
                if (!panel.path("type").asText().equals("row") && !panel.path("type").asText().equals("text")) {
                    assertThat(panel.path("targets")).as("targets of %s", panel.path("title")).isNotEmpty();
                    panel.path("targets").forEach(target -> assertThat(target.path("rawSql").asText()).isNotBlank());
                }
            }
        }
    }

    @Test
    void panelsStayInsideTheGridAndDoNotOverlap() {
        for (Dashboard dashboard : dashboards) {
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode panel : dashboard.json().path("panels")) {
                JsonNode grid = panel.path("gridPos");
                int x = grid.path("x").asInt(), y = grid.path("y").asInt(), w = grid.path("w").asInt(), h = grid.path("h").asInt();
                assertThat(w).isPositive();
                assertThat(h).isPositive();
                assertThat(x + w).as("%s fits 24 columns", panel.path("title")).isLessThanOrEqualTo(24);
                for (int[] other : boxes) {
                    boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
                    assertThat(overlap).as("%s overlaps another panel in %s", panel.path("title"), dashboard.uid()).isFalse();
                }
                boxes.add(new int[] {x, y, w, h});
            }
        }
    }

    @Test
    void everyDatasourceReferenceExistsInTheProvisioning() throws IOException {
        JsonNode provisioning = new ObjectMapper(new YAMLFactory())
                .readTree(Dashboards.PROVISIONING.resolve("datasources/clickhouse.yaml").toFile());
        Set<String> provisioned = new HashSet<>();
        provisioning.path("datasources").forEach(ds -> {
            assertThat(ds.path("type").asText()).isEqualTo("grafana-clickhouse-datasource");
            assertThat(ds.path("jsonData").has("defaultDatabase")).as("the plugin reads defaultDatabase, not database").isTrue();
            provisioned.add(ds.path("uid").asText());
        });
        for (Dashboard dashboard : dashboards) {
            List<JsonNode> references = new ArrayList<>();
            dashboard.panels().forEach(panel -> {
                references.add(panel.path("datasource"));
                panel.path("targets").forEach(target -> references.add(target.path("datasource")));
            });
            dashboard.json().path("templating").path("list").forEach(variable -> {
                if (variable.has("datasource")) {
                    references.add(variable.path("datasource"));
                }
            });
            for (JsonNode reference : references) {
                assertThat(reference.path("type").asText()).isEqualTo("grafana-clickhouse-datasource");
                assertThat(provisioned).as("datasource uid in %s", dashboard.uid()).contains(reference.path("uid").asText());
            }
        }
    }

    @Test
    void theDashboardProviderPointsWhereComposeMountsTheFiles() throws IOException {
        JsonNode provider = new ObjectMapper(new YAMLFactory())
                .readTree(Dashboards.PROVISIONING.resolve("dashboards/agentwatch.yaml").toFile()).path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        String compose = java.nio.file.Files.readString(Dashboards.ROOT.resolveSibling("docker-compose.yml"));
        assertThat(compose).contains("./dashboards/grafana:" + provider.path("options").path("path").asText());
        assertThat(compose).contains("./dashboards/provisioning:/etc/grafana/provisioning");
    }

    @Test
    void findingTablesLinkToTheRunInTheAgentDashboard() {
        long linked = dashboards.stream().flatMap(d -> d.panels().stream())
                .filter(panel -> panel.path("fieldConfig").path("defaults").path("links").toString()
                        .contains("/d/agentwatch-agent/") && panel.path("type").asText().equals("table"))
                .count();
        assertThat(linked).isGreaterThanOrEqualTo(2);
    }

    /**
     * A resolved finding (a late step disproved it) replaces its row under FINAL; every panel that
     * reads findings takes the current rows and leaves resolved ones out, except one that shows
     * each row's state (the run detail).
     */
    @Test
    void everyPanelOnFindingsReadsCurrentRowsAndLeavesResolvedOnesOutOrShowsTheirState() {
        int panelsOnFindings = 0;
        for (Dashboard dashboard : dashboards) {
            for (JsonNode panel : dashboard.panels()) {
                for (JsonNode target : panel.path("targets")) {
                    String sql = target.path("rawSql").asText();
                    int reads = occurrences(sql, "FROM findings");
                    if (reads == 0) {
                        continue;
                    }
                    panelsOnFindings++;
                    String where = dashboard.uid() + " / " + panel.path("title").asText();
                    assertThat(occurrences(sql, "FROM findings FINAL") + occurrences(sql, "FROM findings AS f FINAL"))
                            .as("%s: every read of findings is FINAL", where).isEqualTo(reads);
                    boolean showsState = sql.contains("if(resolved, 'resolved', 'firing') AS state");
                    assertThat(occurrences(sql, "NOT resolved") + (showsState ? 1 : 0))
                            .as("%s: every read of findings filters NOT resolved or shows the state", where)
                            .isEqualTo(reads);
                }
            }
        }
        assertThat(panelsOnFindings).isGreaterThanOrEqualTo(12);
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
