package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteInsert;
import com.mongodb.bulk.BulkWriteResult;
import io.mongoresume.connectors.testutils.LogCapture;
import org.apache.logging.log4j.Level;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UnorderedServerCheckTest {

    /**
     * A bulk that failed at write {@code errorIndex} after {@code inserted} writes were applied.
     */
    private static MongoBulkWriteException failedAt(int errorIndex, int inserted) {
        return new MongoBulkWriteException(
                BulkWriteResult.acknowledged(
                        inserted, 0, 0, 0, List.of(), List.<BulkWriteInsert>of()),
                List.of(new BulkWriteError(11000, "E11000", new BsonDocument(), errorIndex)),
                null,
                new ServerAddress(),
                Set.of());
    }

    @Test
    void saysOnceThatTheServerWentOnPastTheFailedWrite() {
        UnorderedServerCheck check = new UnorderedServerCheck();
        try (LogCapture log = LogCapture.of(UnorderedServerCheck.class)) {
            check.check("db.c", failedAt(1, 1), 1); // stopped at the failed write: as it should
            assertThat(log.lines(Level.WARN)).isEmpty();

            check.check("db.c", failedAt(1, 2), 1);
            check.check("db.d", failedAt(0, 3), 0);
            assertThat(log.lines(Level.WARN))
                    .singleElement()
                    .satisfies(
                            line ->
                                    assertThat(line.message)
                                            .contains(
                                                    "applied 2 writes of an ordered bulk to db.c that failed at write 1")
                                            .contains(
                                                    "does not stop ordered bulk writes at the first error"));
        }
    }
}
