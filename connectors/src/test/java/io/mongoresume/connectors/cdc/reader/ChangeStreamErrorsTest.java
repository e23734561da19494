package io.mongoresume.connectors.cdc.reader;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoQueryException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeStreamErrorsTest {

    private static final BsonDocument REAL_TOKEN = BsonDocument.parse("{_data: '826560A1B2000000012B0229296E04'}");
    private static final BsonTimestamp TIME = new BsonTimestamp(1_700_000_000, 1);

    private static MongoCommandException commandError(int code, String codeName, String message) {
        return new MongoCommandException(
                BsonDocument.parse(
                        "{ok: 0, code: " + code + ", codeName: '" + codeName + "', errmsg: \"" + message + "\"}"),
                new ServerAddress("db.example", 27017));
    }

    @Test
    void historyLostCodesAreFatalWithAdvice() {
        for (MongoException error :
                new MongoException[] {
                    commandError(
                            ChangeStreamErrors.CHANGE_STREAM_HISTORY_LOST,
                            "ChangeStreamHistoryLost",
                            "Resume of change stream was not possible, as the resume point may no longer be in the oplog."),
                    commandError(ChangeStreamErrors.CHANGE_STREAM_FATAL_ERROR, "ChangeStreamFatalError", "cannot resume"),
                    new MongoQueryException(
                            BsonDocument.parse("{ok: 0, code: 136, codeName: 'CappedPositionLost', errmsg: 'CollectionScan died'}"),
                            new ServerAddress()),
                }) {
            ChangeStreamPositionLostException fatal =
                    ChangeStreamErrors.classify(error, "shop.orders", REAL_TOKEN, TIME, false);
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
        ChangeStreamPositionLostException byCode =
                ChangeStreamErrors.classify(
                        commandError(ChangeStreamErrors.INVALID_RESUME_TOKEN, "InvalidResumeToken", "malformed"),
                        "shop.orders",
                        REAL_TOKEN,
                        null,
                        false);
        assertThat(byCode.getMessage())
                .contains("does not know that resume token")
                .contains("260")
                .contains("fresh snapshot");

        ChangeStreamPositionLostException byMessage =
                ChangeStreamErrors.classify(
                        commandError(280, "ChangeStreamFatalError", "the resume token was not found"),
                        "shop.orders",
                        REAL_TOKEN,
                        null,
                        false);
        assertThat(byMessage).isNotNull();
    }

    @Test
    void otherServerRefusalWhileOpeningIsFatal() {
        // The embedded test server answers a malformed token with code -1 and a NumberFormatException text.
        MongoCommandException refused =
                commandError(-1, "", "Unknown error: For input string: \\\"zz\\\" under radix 16");
        ChangeStreamPositionLostException fatal =
                ChangeStreamErrors.classify(refused, "shop.orders", BsonDocument.parse("{_data: 'zz'}"), null, true);
        assertThat(fatal.getMessage()).contains("refused to open the change stream of shop.orders").contains("zz");
        // Same error while reading (not opening): not classified, the caller fails restartably.
        assertThat(ChangeStreamErrors.classify(refused, "shop.orders", null, TIME, false)).isNull();
    }

    @Test
    void transientErrorsAreNotFatal() {
        assertThat(
                        ChangeStreamErrors.classify(
                                commandError(189, "PrimarySteppedDown", "stepped down"), "shop.orders", REAL_TOKEN, TIME, true))
                .isNull();
        assertThat(
                        ChangeStreamErrors.classify(
                                new MongoSocketReadException("reset", new ServerAddress()), "shop.orders", REAL_TOKEN, TIME, true))
                .isNull();
    }

    @Test
    void fatalErrorSuppressesRestarts() {
        assertThat(ChangeStreamPositionLostException.class.getAnnotation(org.apache.flink.runtime.throwable.ThrowableAnnotation.class).value())
                .isEqualTo(org.apache.flink.runtime.throwable.ThrowableType.NonRecoverableError);
    }
}
