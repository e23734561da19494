package io.mongoresume.connectors.sink;

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
        assertThat(MongoErrors.isRetryable(new MongoTimeoutException("no server"))).isTrue();
        assertThat(
                        MongoErrors.isRetryable(
                                new MongoSocketReadException("closed", new ServerAddress())))
                .isTrue();
        assertThat(MongoErrors.isRetryable(bulk(10107))).isTrue();
        MongoException labelled = new MongoException(1, "x");
        labelled.addLabel(MongoErrors.RETRYABLE_WRITE_ERROR_LABEL);
        assertThat(MongoErrors.isRetryable(labelled)).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(MongoErrors.isRetryable(bulk(MongoErrors.DUPLICATE_KEY))).isFalse();
        assertThat(MongoErrors.isRetryable(bulk(121))).isFalse();
        assertThat(MongoErrors.isRetryable(new MongoException(2, "bad value"))).isFalse();
        assertThat(MongoErrors.isRetryable(new IllegalStateException())).isFalse();
        assertThat(
                        MongoErrors.isRetryable(
                                new MongoBulkWriteException(
                                        BulkWriteResult.unacknowledged(),
                                        List.of(),
                                        null,
                                        new ServerAddress(),
                                        Set.of())))
                .isFalse();
    }
}
