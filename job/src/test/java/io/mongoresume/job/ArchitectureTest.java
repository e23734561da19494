package io.mongoresume.job;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.mongoresume.job.config.MigrationOptions;

import java.util.regex.Pattern;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering of the production classes of both modules. This module's test classpath holds the
 * connectors' classes, so one import sees both; test classes are left out, whether they come from a
 * directory or from the connectors' test-jar.
 */
@AnalyzeClasses(
        packages = "io.mongoresume",
        importOptions = {
            ImportOption.DoNotIncludeTests.class,
            ArchitectureTest.DoNotIncludeTestJars.class
        })
class ArchitectureTest {

    @ArchTest
    static final ArchRule CONNECTORS_DO_NOT_DEPEND_ON_THE_JOB =
            noClasses()
                    .that()
                    .resideInAPackage("io.mongoresume.connectors..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.mongoresume.job..");

    /** The source events they exchange live in {@code snapshot.event}. */
    @ArchTest
    static final ArchRule SNAPSHOT_READER_DOES_NOT_DEPEND_ON_ITS_ENUMERATOR =
            noClasses()
                    .that()
                    .resideInAPackage("io.mongoresume.connectors.snapshot.reader..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.mongoresume.connectors.snapshot.enumerator..");

    @ArchTest
    static final ArchRule CHANGE_STREAM_READER_DOES_NOT_DEPEND_ON_ITS_ENUMERATOR =
            noClasses()
                    .that()
                    .resideInAPackage("io.mongoresume.connectors.cdc.reader..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("io.mongoresume.connectors.cdc.enumerator..");

    /** Everything else reads its settings from the migration plan. */
    @ArchTest
    static final ArchRule ONLY_CONFIG_AND_PLAN_READ_THE_OPTIONS =
            noClasses()
                    .that()
                    .resideOutsideOfPackages(
                            "io.mongoresume.job.config..", "io.mongoresume.job.plan..")
                    .should()
                    .dependOnClassesThat()
                    .belongToAnyOf(MigrationOptions.class);

    /** Guards the import options: test code is not held to the rules of production code. */
    @ArchTest
    static final ArchRule NO_TEST_CLASS_IS_ANALYSED =
            classes()
                    .should()
                    .haveSimpleNameNotEndingWith("Test")
                    .andShould()
                    .haveSimpleNameNotEndingWith("ITCase");

    /**
     * Leaves out the connectors' test-jar, which a build that packaged them puts on the classpath.
     */
    static final class DoNotIncludeTestJars implements ImportOption {

        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

        @Override
        public boolean includes(Location location) {
            return !location.matches(TEST_JAR);
        }
    }
}
