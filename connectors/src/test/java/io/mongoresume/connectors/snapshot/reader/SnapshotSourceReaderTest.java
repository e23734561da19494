package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.event.CollectionsDoneEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The source reader's markers, without a server. */
class SnapshotSourceReaderTest {

    @Test
    void announcesEachFinishedCollectionInItsOwnDatabase() throws Exception {
        MarkerRouting routing = new MarkerRouting(2, 128);
        SnapshotSourceOptions options =
                MongoSnapshotSource.builder()
                        .connection(MongoConnectionOptions.of("mongodb://localhost:1", 1000))
                        .selection(CollectionSelection.namespaces(List.of(), List.of()))
                        .continuous(routing, 0)
                        .build()
                        .options();
        SnapshotSourceReader reader =
                SnapshotSourceReader.create(options, new TestingReaderContext());
        reader.handleSourceEvents(
                new CollectionsDoneEvent(List.of("shop.orders", "crm.users.archive")));

        int expected =
                routing.routingIds("shop", "orders").size()
                        + routing.routingIds("crm", "users.archive").size();
        TestingReaderOutput<MigrationEvent> output = new TestingReaderOutput<>();
        for (int i = 0; i < expected; i++) {
            assertThat(reader.isAvailable()).isDone();
            reader.pollNext(output);
        }
        List<String> namespaces = new ArrayList<>();
        for (MigrationEvent marker : output.getEmittedRecords()) {
            assertThat(marker.kind()).isEqualTo(EventKind.SNAPSHOT_DONE);
            namespaces.add(marker.database() + " " + marker.collection());
        }
        assertThat(namespaces)
                .hasSize(expected)
                .containsOnly("shop orders", "crm users.archive")
                .contains("shop orders", "crm users.archive");
        reader.close();
    }
}
