package io.mongoresume.connectors.cdc.offset;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The start capture of a selection across databases, against the embedded server. */
class ClusterTimeCaptureAcrossDatabasesTest {

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::embedded);

    @Test
    void needsNoDatabaseOfTheSelectionToExist() {
        MongoConnectionOptions connection = MongoConnectionOptions.of(SERVER.server().uri(), 5_000);
        String missing = MongoTestServer.freshDatabaseName("nowhere");
        CollectionSelection across =
                CollectionSelection.namespaces(
                        List.of(NamespacePattern.parse(missing + "_*.*", "test")), List.of());
        Duration margin = Duration.ofSeconds(5);
        for (List<String> namespaces : List.of(List.<String>of(), List.of(missing + "_a.c"))) {
            long before = System.currentTimeMillis() / 1000;
            StartPosition start =
                    ClusterTimeCapture.capture(connection, across, namespaces, margin);
            // The embedded server has no cluster time: its clock (asked on admin) minus the margin.
            assertThat(start.kind()).isEqualTo(StartPosition.Kind.OPERATION_TIME);
            assertThat((long) start.operationTime().getTime()).isBetween(before - 7, before - 4);
            CapturedTime captured =
                    ClusterTimeCapture.captureTime(
                            SERVER.client(),
                            across,
                            namespaces.isEmpty() ? null : namespaces.get(0),
                            margin,
                            "test");
            assertThat(captured.source())
                    .as("asked of the server, not taken from this machine's clock")
                    .isEqualTo(CapturedTime.Source.SERVER_LOCAL_TIME);
        }
    }
}
