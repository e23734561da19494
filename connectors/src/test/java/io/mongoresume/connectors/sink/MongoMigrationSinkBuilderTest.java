package io.mongoresume.connectors.sink;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoMigrationSinkBuilderTest {

    private static final MongoConnectionOptions CONNECTION =
            MongoConnectionOptions.of("mongodb://user:pw@localhost:27017", 1_000);

    private static MongoMigrationSinkBuilder builder() {
        return MongoMigrationSink.builder().connection(CONNECTION);
    }

    @Test
    void defaults() {
        MongoWriteOptions options = builder().build().options();
        assertThat(options.batchSize()).isEqualTo(1000);
        assertThat(options.batchMaxWaitMillis()).isEqualTo(100);
        assertThat(options.maxRetries()).isEqualTo(3);
        assertThat(options.retryBackoffMillis()).isEqualTo(500);
        assertThat(options.writePolicy()).isEqualTo(WritePolicy.defaults());
        assertThat(options.target("src", "c").getFullName()).isEqualTo("src.c");
        assertThat(builder().targetDatabase("t").build().options().target("src", "c").getFullName())
                .isEqualTo("t.c");
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> MongoMigrationSink.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("connection");
        assertThatThrownBy(() -> builder().batchSize(0).build()).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> builder().batchMaxWaitMillis(0).build())
                .hasMessageContaining("batchMaxWaitMillis");
        assertThatThrownBy(() -> builder().batchMaxWaitMillis(-2).build())
                .hasMessageContaining("batchMaxWaitMillis");
        assertThatThrownBy(() -> builder().maxRetries(-1).build())
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> builder().retryBackoffMillis(-1).build())
                .hasMessageContaining("retryBackoffMillis");
        assertThatThrownBy(() -> builder().targetDatabase(" ").build())
                .hasMessageContaining("target.database");
        assertThatThrownBy(() -> builder().writePolicy(null).build())
                .hasMessageContaining("writePolicy");
        assertThat(builder().batchMaxWaitMillis(-1).build().options().batchMaxWaitMillis())
                .isEqualTo(-1);
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(builder().build().toString()).contains("user:****@").doesNotContain("pw@");
    }
}
