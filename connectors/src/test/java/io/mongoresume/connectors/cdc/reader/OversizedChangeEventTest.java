package io.mongoresume.connectors.cdc.reader;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoInternalException;
import com.mongodb.ServerAddress;
import io.mongoresume.connectors.cdc.OplogProbe;
import io.mongoresume.connectors.common.read.RefusedReply;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OversizedChangeEventTest {

    /**
     * What MongoDB answers for a change event over its limit (message as reported from a 7.0
     * replica set).
     */
    private static final MongoCommandException TOO_LARGE =
            new MongoCommandException(
                    BsonDocument.parse(
                            "{ok: 0, code: 10334, codeName: 'BSONObjectTooLarge', errmsg: 'PlanExecutor error during"
                                    + " aggregation :: caused by :: BSONObj size: 17701268 (0x10E1994) is invalid."
                                    + " Size must be between 0 and 16793600(16MB) First element: _id: { _data:"
                                    + " \"826AA99D52000000982B042C0100296E5A1004\" }'}"),
                    new ServerAddress("db.example", 27017));

    private static final BsonTimestamp EVENT_TIME = new BsonTimestamp(0x6AA99D52, 0x98);

    @Test
    void serverRefusalNamesTheEventItsSizeAndTheDocument() {
        assertThat(OversizedChangeEvent.eventToken(TOO_LARGE))
                .isEqualTo(BsonDocument.parse("{_data: '826AA99D52000000982B042C0100296E5A1004'}"));
        OplogProbe.Entry update = OplogProbe.entry(EVENT_TIME, "u", new BsonInt32(7));
        ChangeEventTooLargeException fatal =
                OversizedChangeEvent.tooLargeForServer(
                        "shop.orders",
                        "after resume token {\"_data\": \"82...\"}",
                        TOO_LARGE,
                        update);
        assertThat(fatal.getMessage())
                .contains(
                        "The change stream of shop.orders cannot deliver its next change (resume token")
                .contains("826AA99D52000000982B042C0100296E5A1004")
                .contains("cluster time 2026-09-15T19:32:34Z (1789500754, 152)")
                .contains("which comes after resume token {\"_data\": \"82...\"}")
                .contains(
                        "the event has 17701268 bytes, more than MongoDB's limit of 16793600 bytes")
                .contains("10334 BSONObjectTooLarge")
                .contains(
                        "the next change of shop.orders is an update of {\"_id\": 7} at 2026-09-15T19:32:34Z")
                .contains("Reduce that document at the source, then resume the job")
                .contains(
                        "The change was not skipped: the stream stops before it, and a resume reads it again");
        assertThat(fatal.getCause()).isSameAs(TOO_LARGE);
    }

    @Test
    void anInsertTooLargeNeedsAFreshSnapshotAndAnUnknownDocumentIsSaidSo() {
        ChangeEventTooLargeException insert =
                OversizedChangeEvent.tooLargeForServer(
                        "shop.orders",
                        "after x",
                        TOO_LARGE,
                        OplogProbe.entry(EVENT_TIME, "i", new BsonInt32(7)));
        assertThat(insert.getMessage())
                .contains("an insert of {\"_id\": 7}")
                .contains("this one will never fit")
                .contains("sync.type=full+incremental without a savepoint");

        ChangeEventTooLargeException unknown =
                OversizedChangeEvent.tooLargeForServer("shop.orders", "after x", TOO_LARGE, null);
        assertThat(unknown.getMessage()).contains("The source's oplog did not name the document");
    }

    @Test
    void aReplyRefusedForOneEventNamesItsSize() {
        MongoInternalException error =
                new MongoInternalException(
                        "The reply message length 60000312 is greater than the maximum message length 48000000");
        ChangeEventTooLargeException fatal =
                OversizedChangeEvent.tooLargeForReply(
                        "shop.big",
                        "at or after operation time 2026-12-01T23:00:00Z (1796166000, 0)",
                        RefusedReply.of(error),
                        error,
                        OplogProbe.entry(EVENT_TIME, "u", new BsonInt32(1)));
        assertThat(fatal.getMessage())
                .contains(
                        "The change stream of shop.big cannot deliver its next change, which comes at or after operation time")
                .contains(
                        "even alone it came in a reply of 60000312 bytes, more than the MongoDB driver accepts"
                                + " (48000000 bytes")
                .contains("an update of {\"_id\": 1}")
                .contains("Reduce that document at the source")
                .contains("The change was not skipped");
        assertThat(fatal)
                .isInstanceOf(io.mongoresume.connectors.common.UnrecoverableException.class);
    }
}
