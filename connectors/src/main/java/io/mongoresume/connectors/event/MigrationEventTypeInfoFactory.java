package io.mongoresume.connectors.event;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Lets Flink's type extraction find {@link MigrationEventTypeInfo} from the class annotation. */
public final class MigrationEventTypeInfoFactory extends TypeInfoFactory<MigrationEvent> {
    @Override
    public TypeInformation<MigrationEvent> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return MigrationEventTypeInfo.INSTANCE;
    }
}
