package io.mongoresume.job.plan;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.destination.ExistingDataPolicy;

import java.time.Duration;

/** Where the documents go and what the job may do there: preparation and ownership. */
public record TargetPlan(
        MongoConnectionOptions connection,
        String database,
        ExistingDataPolicy existingData,
        boolean copyIndexes,
        Duration ownershipLease,
        boolean takeOver) {}
