package io.mongoresume.job.plan;

import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;

/** How the snapshot reads: its readers, partitioning and queries. */
public record SnapshotPlan(
        int readers,
        PartitionStrategy partitionStrategy,
        long partitionSize,
        int partitionCount,
        int batchReadLimit,
        SplitQueryMode splitQueryMode,
        int fetchSize,
        boolean noCursorTimeout,
        SnapshotReadConcern readConcern) {}
