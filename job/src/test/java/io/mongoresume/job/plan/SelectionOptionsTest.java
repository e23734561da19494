package io.mongoresume.job.plan;

import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.JobConfigLoader;
import io.mongoresume.job.config.MigrationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The selection options as the plan reads them: the shorthand, the namespace form, exclusions. */
class SelectionOptionsTest {

    private static final List<String> URIS =
            List.of("source.uri=mongodb://localhost:27017", "target.uri=mongodb://localhost:27018");

    @TempDir Path dir;

    @Test
    void withoutDatabaseOrNamespacesEveryUserDatabaseIsSelected() {
        MigrationPlan plan = plan();
        CollectionSelection selection = plan.selection();
        assertThat(selection.isShorthand()).isFalse();
        assertThat(selection).isEqualTo(CollectionSelection.namespaces(List.of(), List.of()));
        assertThat(selection.matches("shop", "orders")).isTrue();
        assertThat(selection.matches("crm", "contacts")).isTrue();
        for (String system : List.of("admin", "local", "config")) {
            assertThat(selection.matches(system, "anything")).as(system).isFalse();
        }
        assertThat(selection.matches("shop", "system.views")).isFalse();
        assertThat(plan.sourceDatabase()).isNull();
        assertThat(plan.targetDatabase()).isNull();
        assertThat(plan.jobName()).isEqualTo("mongo-resume namespaces -> same names");
        assertThat(plan.effectiveOptions()).containsEntry("target.database", "(none)");
        assertThat(plan.label("shop.orders")).isEqualTo("shop.orders");
    }

    @Test
    void namespacesAndExclusionsFromAYamlJobFile() throws IOException {
        Path file =
                write(
                        "source:\n"
                                + "  uri: mongodb://localhost:27017\n"
                                + "  namespaces: [\"shop.*\", \"crm.orders\","
                                + " \"/^tenant_[0-9]+\\\\.events$/\"]\n"
                                + "  exclude: [\"shop.tmp_*\"]\n"
                                + "target:\n"
                                + "  uri: mongodb://localhost:27018\n");
        CollectionSelection selection =
                MigrationPlan.of(JobConfigLoader.load(file, List.of())).selection();
        assertThat(selection)
                .isEqualTo(
                        CollectionSelection.namespaces(
                                List.of(
                                        pattern("shop.*"),
                                        pattern("crm.orders"),
                                        pattern("/^tenant_[0-9]+\\.events$/")),
                                List.of(NamespacePattern.parse("shop.tmp_*", "source.exclude"))));
        assertThat(selection.matches("shop", "orders")).isTrue();
        assertThat(selection.matches("shop", "tmp_import")).isFalse();
        assertThat(selection.matches("crm", "orders")).isTrue();
        assertThat(selection.matches("crm", "contacts")).isFalse();
        assertThat(selection.matches("tenant_42", "events")).isTrue();
        assertThat(selection.matches("tenant_x", "events")).isFalse();
    }

    @Test
    void namespacesSeparatedBySemicolonsOnTheCommandLine() {
        CollectionSelection selection =
                plan("source.namespaces=shop.orders;crm.*", "source.exclude=crm.audit").selection();
        assertThat(selection.matches("shop", "orders")).isTrue();
        assertThat(selection.matches("shop", "customers")).isFalse();
        assertThat(selection.matches("crm", "contacts")).isTrue();
        assertThat(selection.matches("crm", "audit")).isFalse();
    }

    @Test
    void theShorthandIsAsBeforeAndTakesExclusions() {
        assertThat(plan("source.database=shop", "source.collections=orders;customers").selection())
                .isEqualTo(CollectionSelection.of("shop", List.of("orders", "customers")));
        assertThat(plan("source.database=shop").selection())
                .isEqualTo(CollectionSelection.everything("shop"));
        MigrationPlan plan = plan("source.database=shop", "source.exclude=shop.tmp_*");
        assertThat(plan.selection().isShorthand()).isTrue();
        assertThat(plan.sourceDatabase()).isEqualTo("shop");
        assertThat(plan.targetDatabase()).isEqualTo("shop");
        assertThat(plan.selection().matches("shop", "orders")).isTrue();
        assertThat(plan.selection().matches("shop", "tmp_1")).isFalse();
        assertThat(plan.jobName()).isEqualTo("mongo-resume shop -> shop");
        assertThat(plan.label("shop.orders")).isEqualTo("orders");
    }

    @Test
    void namespacesWithTheShorthandAreRefusedNamingBothOptions() {
        assertThatThrownBy(() -> plan("source.database=shop", "source.namespaces=shop.*"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.namespaces")
                .hasMessageContaining("source.database")
                .hasMessageContaining("Write the collections as namespaces");
        assertThatThrownBy(() -> plan("source.namespaces=shop.*", "source.collections=orders"))
                .hasMessageContaining("Give either source.namespaces or source.collections");
        assertThatThrownBy(() -> plan("source.namespaces=shop.*", "source.collection-regex=o.*"))
                .hasMessageContaining("Give either source.namespaces or source.collection-regex");
    }

    @Test
    void collectionOptionsWithoutTheirDatabaseAreRefused() {
        assertThatThrownBy(() -> plan("source.collections=orders"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Option 'source.collections'")
                .hasMessageContaining("source.database, which is not set")
                .hasMessageContaining("source.namespaces");
        assertThatThrownBy(() -> plan("source.collection-regex=o.*"))
                .hasMessageContaining("Option 'source.collection-regex'");
    }

    @Test
    void invalidPatternsNameTheOptionAndTheValue() {
        assertThatThrownBy(() -> plan("source.namespaces=/[unclosed/"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid value '/[unclosed/' for option 'source.namespaces'")
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> plan("source.namespaces=shop"))
                .hasMessageContaining("Invalid value 'shop' for option 'source.namespaces'")
                .hasMessageContaining("'shop.*'");
        assertThatThrownBy(() -> plan("source.database=shop", "source.exclude=/(/"))
                .hasMessageContaining("Invalid value '/(/' for option 'source.exclude'");
    }

    @Test
    void theSelectionMayChangeAtAResumeButNotTheShorthandsDatabase() {
        assertThat(MigrationPlan.RESUME_FIXED_OPTIONS).contains("source.database");
        assertThat(MigrationPlan.RESUME_FIXED_OPTIONS)
                .doesNotContain(
                        "source.namespaces",
                        "source.exclude",
                        "source.collections",
                        "source.collection-regex");
    }

    private static NamespacePattern pattern(String text) {
        return NamespacePattern.parse(text, "source.namespaces");
    }

    private static MigrationPlan plan(String... options) {
        List<String> all = new ArrayList<>(URIS);
        all.addAll(Arrays.asList(options));
        MigrationConfig config = JobConfigLoader.load(null, all);
        return MigrationPlan.of(config);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
