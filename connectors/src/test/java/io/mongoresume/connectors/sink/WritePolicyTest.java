package io.mongoresume.connectors.sink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WritePolicyTest {

    @Test
    void defaultsUpsertAndDelete() {
        WritePolicy policy = WritePolicy.defaults();
        assertThat(policy.insert()).isEqualTo(WritePolicy.InsertPolicy.UPSERT);
        assertThat(policy.update()).isEqualTo(WritePolicy.UpdatePolicy.UPSERT);
        assertThat(policy.delete()).isEqualTo(WritePolicy.DeletePolicy.DELETE);
        assertThat(policy.mode()).isEqualTo(WritePolicy.Mode.BY_EVENT_TYPE);
        assertThat(policy.keepDeleted()).isFalse();
    }

    @Test
    void appendOnlyWithKeepDeletedIsRejected() {
        assertThatThrownBy(
                        () ->
                                WritePolicy.builder()
                                        .mode(WritePolicy.Mode.APPEND_ONLY)
                                        .keepDeleted(true)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepDeleted cannot be combined with mode APPEND_ONLY");
    }

    @Test
    void keepDeletedWithIgnoredDeletesIsRejected() {
        assertThatThrownBy(
                        () ->
                                WritePolicy.builder()
                                        .delete(WritePolicy.DeletePolicy.IGNORE)
                                        .keepDeleted(true)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delete policy DELETE");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> WritePolicy.builder().insert(null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WritePolicy.builder().mode(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void isSerializableAndComparable() throws Exception {
        WritePolicy policy =
                WritePolicy.builder()
                        .insert(WritePolicy.InsertPolicy.IGNORE_EXISTING)
                        .update(WritePolicy.UpdatePolicy.IGNORE_MISSING)
                        .keepDeleted(true)
                        .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(policy);
        }
        Object copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = in.readObject();
        }
        assertThat(copy).isEqualTo(policy).hasSameHashCodeAs(policy);
        assertThat(copy.toString())
                .contains("insert=ignore-existing", "update=ignore-missing", "keepDeleted=true");
    }

    @Test
    void enumsAreDescribed() {
        for (WritePolicy.InsertPolicy p : WritePolicy.InsertPolicy.values()) {
            assertThat(p.getDescription()).isNotNull();
        }
        for (WritePolicy.Mode m : WritePolicy.Mode.values()) {
            assertThat(m.getDescription()).isNotNull();
        }
    }
}
