package io.mongoresume.connectors.event;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Type information that hands Flink our {@link MigrationEventSerializer} instead of Kryo. */
public final class MigrationEventTypeInfo extends TypeInformation<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    public static final MigrationEventTypeInfo INSTANCE = new MigrationEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<MigrationEvent> getTypeClass() {
        return MigrationEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<MigrationEvent> createSerializer(SerializerConfig config) {
        return MigrationEventSerializer.INSTANCE;
    }

    @Override
    @Deprecated
    public TypeSerializer<MigrationEvent> createSerializer(ExecutionConfig config) {
        return MigrationEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "MigrationEvent";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof MigrationEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return MigrationEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof MigrationEventTypeInfo;
    }
}
