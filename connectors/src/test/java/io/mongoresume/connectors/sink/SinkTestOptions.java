package io.mongoresume.connectors.sink;

import io.mongoresume.connectors.sink.config.MongoWriteOptions;

/** The settings a built sink hands its writers, for the writer tests in {@code sink.writer}. */
public final class SinkTestOptions {

    private SinkTestOptions() {}

    public static MongoWriteOptions of(MongoMigrationSinkBuilder builder) {
        return builder.build().options();
    }
}
