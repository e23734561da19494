package io.mongoresume.connectors.cdc.reader;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoQueryException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;
import io.mongoresume.connectors.common.MongoErrors;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import javax.annotation.Nullable;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeStreamErrorsTest {

    private static final BsonDocument REAL_TOKEN =
            BsonDocument.parse("{_data: '826560A1B2000000012B0229296E04'}");
    private static final BsonTimestamp TIME = new BsonTimestamp(1_700_000_000, 1);

    private static MongoCommandException commandError(int code, String codeName, String message) {
        return new MongoCommandException(
                BsonDocument.parse(
                        "{ok: 0, code: "
                                + code
                                + ", codeName: '"
                                + codeName
                                + "', errmsg: \""
                                + message
                                + "\"}"),
                new ServerAddress("db.example", 27017));
    }

    @Test
    void historyLostCodesAreFatalWithAdvice() {
        for (MongoException error :
                new MongoException[] {
                    commandError(
                            MongoErrors.CHANGE_STREAM_HISTORY_LOST,
                            "ChangeStreamHistoryLost",
                            "Resume of change stream was not possible, as the resume point may no longer be in the oplog."),
                    commandError(
                            MongoErrors.CHANGE_STREAM_FATAL_ERROR,
                            "ChangeStreamFatalError",
                            "cannot resume"),
                    new MongoQueryException(
                            BsonDocument.parse(
                                    "{ok: 0, code: 136, codeName: 'CappedPositionLost', errmsg: 'CollectionScan died'}"),
                            new ServerAddress()),
                }) {
            ChangeStreamPositionLostException fatal =
                    ChangeStreamErrors.classify(
                            error, "shop.orders", REAL_TOKEN, TIME, false, null);
            assertThat(fatal).as("code %s", error.getCode()).isNotNull();
            assertThat(fatal.getMessage())
                    .contains("shop.orders")
                    .contains(REAL_TOKEN.getString("_data").getValue())
                    .contains("no longer has the change history from 2023-11-24T13:14:26Z")
                    .contains("restart the migration with a fresh snapshot")
                    .contains("sync.type=full+incremental without a savepoint")
                    .contains(String.valueOf(error.getCode()));
            assertThat(fatal.getCause()).isSameAs(error);
        }
    }

    @Test
    void invalidTokenIsFatal() {
        ChangeStreamPositionLostException byCode = refusedToken(false, null);
        assertThat(byCode.getMessage())
                .contains("does not know that resume token")
                .contains("260")
                .contains("fresh snapshot");

        ChangeStreamPositionLostException byMessage =
                ChangeStreamErrors.classify(
                        commandError(
                                280, "ChangeStreamFatalError", "the resume token was not found"),
                        "shop.orders",
                        REAL_TOKEN,
                        null,
                        false,
                        null);
        assertThat(byMessage).isNotNull();
    }

    @Test
    void otherServerRefusalWhileOpeningIsFatal() {
        // The embedded test server answers a malformed token with code -1 and a
        // NumberFormatException text.
        MongoCommandException refused =
                commandError(-1, "", "Unknown error: For input string: \\\"zz\\\" under radix 16");
        ChangeStreamPositionLostException fatal =
                ChangeStreamErrors.classify(
                        refused,
                        "shop.orders",
                        BsonDocument.parse("{_data: 'zz'}"),
                        null,
                        true,
                        null);
        assertThat(fatal.getMessage())
                .contains("refused to open the change stream of shop.orders")
                .contains("zz");
        // Same error while reading (not opening): not classified, the caller fails restartably.
        assertThat(ChangeStreamErrors.classify(refused, "shop.orders", null, TIME, false, null))
                .isNull();
    }

    @Test
    void transientErrorsAreNotFatal() {
        for (MongoException error :
                List.of(
                        commandError(189, "PrimarySteppedDown", "stepped down"),
                        new MongoSocketReadException("reset", new ServerAddress()))) {
            assertThat(
                            ChangeStreamErrors.classify(
                                    error, "shop.orders", REAL_TOKEN, TIME, true, null))
                    .as(error.toString())
                    .isNull();
        }
    }

    @Test
    void historyLostAtAGivenStartNamesWhatGaveIt() {
        ChangeStreamPositionLostException fatal =
                ChangeStreamErrors.classify(
                        commandError(
                                MongoErrors.CHANGE_STREAM_HISTORY_LOST,
                                "ChangeStreamHistoryLost",
                                "Resume of change stream was not possible, as the resume point may no longer be in the oplog."),
                        "shop.orders",
                        null,
                        TIME,
                        true,
                        "cdc.start-at");
        assertThat(fatal.getMessage())
                .contains(
                        "The change stream of shop.orders cannot start at operation time 2023-11-14T22:13:20Z")
                .contains("given by cdc.start-at")
                .contains("no longer has the change history from 2023-11-14T22:13:20Z")
                .contains("286 ChangeStreamHistoryLost")
                .contains("would be missing from the target")
                .contains(
                        "Start the job afresh (not from a savepoint or checkpoint) with cdc.start-at at or after"
                                + " the oldest change the source still has")
                .contains("sync.type=full+incremental");
    }

    @Test
    void unknownTokenAtAGivenStartNamesWhatGaveIt() {
        ChangeStreamPositionLostException byCode = refusedToken(true, "cdc.resume-token");
        assertThat(byCode.getMessage())
                .contains("cannot start after resume token")
                .contains("given by cdc.resume-token")
                .contains(
                        "Check cdc.resume-token: it must come from this collection's change stream");

        MongoCommandException refused = commandError(-1, "", "Unknown error: For input string");
        ChangeStreamPositionLostException opening =
                ChangeStreamErrors.classify(
                        refused, "shop.orders", REAL_TOKEN, null, true, "cdc.resume-token");
        assertThat(opening.getMessage())
                .contains("refused to open the change stream of shop.orders")
                .contains("given by cdc.resume-token")
                .contains("Check cdc.resume-token");
    }

    @Test
    void eventTooLargeIsNotTakenForARefusedPosition() {
        MongoCommandException tooLarge =
                commandError(
                        10334,
                        "BSONObjectTooLarge",
                        "PlanExecutor error during aggregation :: caused by :: BSONObj size: 17701268 (0x10E1994) is"
                                + " invalid. Size must be between 0 and 16793600(16MB) First element: _id: { _data:"
                                + " \\\"826AA99D52000000982B042C0100296E5A1004\\\" }");
        assertThat(ChangeStreamErrors.isEventTooLarge(tooLarge)).isTrue();
        assertThat(
                        ChangeStreamErrors.classify(
                                tooLarge, "shop.orders", REAL_TOKEN, TIME, true, null))
                .isNull();
        assertThat(
                        ChangeStreamErrors.isEventTooLarge(
                                commandError(286, "ChangeStreamHistoryLost", "gone")))
                .isFalse();
    }

    @Test
    void fatalErrorSuppressesRestarts() {
        assertThat(
                        ChangeStreamPositionLostException.class
                                .getAnnotation(
                                        org.apache.flink.runtime.throwable.ThrowableAnnotation
                                                .class)
                                .value())
                .isEqualTo(org.apache.flink.runtime.throwable.ThrowableType.NonRecoverableError);
    }

    /**
     * The source refusing REAL_TOKEN of shop.orders as malformed (InvalidResumeToken), classified.
     */
    private static ChangeStreamPositionLostException refusedToken(
            boolean opening, @Nullable String origin) {
        return ChangeStreamErrors.classify(
                commandError(MongoErrors.INVALID_RESUME_TOKEN, "InvalidResumeToken", "malformed"),
                "shop.orders",
                REAL_TOKEN,
                null,
                opening,
                origin);
    }
}
