package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.util.CloseableIterator;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.FakeIdSource;
import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonValue;

import java.util.List;

/** Sorted ids in memory; records the position of every scan. */
final class RecordingIdSource implements IdSource {

    private final List<BsonValue> ids;
    private final List<CountScanPosition> scans;

    RecordingIdSource(List<BsonValue> ids, List<CountScanPosition> scans) {
        this.ids = ids;
        this.scans = scans;
    }

    @Override
    public CloseableIterator<BsonValue> scanIds(CountScanPosition from) {
        scans.add(from);
        return FakeIdSource.idsFrom(ids, from);
    }

    @Override
    public BsonValue minId(TypeBracket bracket) {
        return ids.isEmpty() ? null : ids.get(0);
    }

    @Override
    public BsonValue maxId(TypeBracket bracket) {
        return ids.isEmpty() ? null : ids.get(ids.size() - 1);
    }

    @Override
    public boolean rangeFilterConsistent(TypeBracket bracket, BsonValue min) {
        return true;
    }

    @Override
    public TypeAliasSupport typeAliases() {
        return new TypeAliasSupport();
    }
}
