package io.mongoresume.job.plan;

import java.time.Duration;

/** How the change streams read: their readers, discovery of new collections, latency and DDL. */
public record ChangeStreamPlan(
        int readers,
        boolean fullDocument,
        Duration discoveryInterval,
        Duration bufferTimeout,
        boolean ddlEnabled) {}
