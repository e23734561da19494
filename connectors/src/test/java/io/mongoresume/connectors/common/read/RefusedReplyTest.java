package io.mongoresume.connectors.common.read;

import com.mongodb.MongoException;
import com.mongodb.MongoInternalException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusedReplyTest {

    @Test
    void readsTheLengthsFromTheDriversMessage() {
        RefusedReply reply =
                RefusedReply.of(
                        new MongoInternalException(
                                "The reply message length 67102442 is greater than the maximum"
                                        + " message length 48000000"));
        assertThat(reply).isNotNull();
        assertThat(reply.length()).isEqualTo(67_102_442L);
        assertThat(reply.maxLength()).isEqualTo(48_000_000L);
        assertThat(reply.toString())
                .isEqualTo("a reply of 67102442 bytes (the driver's limit is 48000000)");
    }

    @Test
    void findsItAmongTheCauses() {
        MongoException wrapped =
                new MongoException(
                        "read failed",
                        new MongoInternalException(
                                "The reply message length 50000001 is greater than the maximum"
                                        + " message length 48000000"));
        assertThat(RefusedReply.of(wrapped)).isNotNull();
    }

    @Test
    void otherErrorsAreNotRefusedReplies() {
        assertThat(
                        RefusedReply.of(
                                new MongoInternalException(
                                        "The reply message length 10 is less than the minimum"
                                                + " message length 16")))
                .isNull();
        assertThat(
                        RefusedReply.of(
                                new MongoException(
                                        "reply message length 5 is greater than the maximum message length 4")))
                .as("only the driver's internal exception")
                .isNull();
        assertThat(RefusedReply.of(new IllegalStateException())).isNull();
    }
}
