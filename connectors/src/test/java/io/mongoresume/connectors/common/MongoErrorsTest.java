package io.mongoresume.connectors.common;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MongoErrorsTest {

    private static MongoBulkWriteException bulk(int code) {
        return new MongoBulkWriteException(
                BulkWriteResult.unacknowledged(),
                List.of(new BulkWriteError(code, "boom", new BsonDocument(), 0)),
                null,
                new ServerAddress(),
                Collections.emptySet());
    }

    @Test
    void transientFailuresAreRetryable() {
        assertThat(MongoErrors.isRetryableWrite(new MongoTimeoutException("no server"))).isTrue();
        assertThat(
                        MongoErrors.isRetryableWrite(
                                new MongoSocketReadException("closed", new ServerAddress())))
                .isTrue();
        assertThat(MongoErrors.isRetryableWrite(bulk(10107))).isTrue();
        MongoException labelled = new MongoException(1, "x");
        labelled.addLabel(MongoErrors.RETRYABLE_WRITE_ERROR_LABEL);
        assertThat(MongoErrors.isRetryableWrite(labelled)).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(MongoErrors.isRetryableWrite(bulk(MongoErrors.DUPLICATE_KEY))).isFalse();
        assertThat(MongoErrors.isRetryableWrite(bulk(121))).isFalse();
        assertThat(MongoErrors.isRetryableWrite(new MongoException(2, "bad value"))).isFalse();
        assertThat(MongoErrors.isRetryableWrite(new IllegalStateException())).isFalse();
        assertThat(
                        MongoErrors.isRetryableWrite(
                                new MongoBulkWriteException(
                                        BulkWriteResult.unacknowledged(),
                                        List.of(),
                                        null,
                                        new ServerAddress(),
                                        Set.of())))
                .isFalse();
    }

    @Test
    void readsAndWritesShareTheSpecificationsTransientCodesAndAddTheirOwn() {
        for (int code : new int[] {6, 89, 91, 189, 10107, 11602}) {
            assertThat(MongoErrors.isRetryableWriteCode(code)).as("write %s", code).isTrue();
            assertThat(MongoErrors.isTransientReadCode(code)).as("read %s", code).isTrue();
        }
        assertThat(MongoErrors.isRetryableWriteCode(MongoErrors.MAX_TIME_MS_EXPIRED)).isTrue();
        assertThat(MongoErrors.isTransientReadCode(MongoErrors.MAX_TIME_MS_EXPIRED)).isFalse();
        assertThat(MongoErrors.isTransientReadCode(13388)).as("StaleConfig").isTrue();
        assertThat(MongoErrors.isRetryableWriteCode(13388)).isFalse();
        assertThat(MongoErrors.isRetryableWriteCode(MongoErrors.DUPLICATE_KEY)).isFalse();
        assertThat(MongoErrors.isTransientReadCode(MongoErrors.CHANGE_STREAM_HISTORY_LOST))
                .isFalse();
    }
}
