package io.mongoresume.connectors.common.config;

import org.apache.flink.configuration.description.TextElement;

import io.mongoresume.connectors.common.config.OptionEnum.Described;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionEnumTest {

    private enum Sample implements OptionEnum {
        @Described("The first.")
        FIRST_VALUE,
        @Described("With a body of its own.")
        WITH_BODY {
            @Override
            public String toString() {
                return "body";
            }
        },
        UNDESCRIBED;
    }

    @Test
    void describesEachConstantByItsAnnotation() {
        assertThat(((TextElement) Sample.FIRST_VALUE.getDescription()).getFormat())
                .isEqualTo("The first.");
        assertThat(((TextElement) Sample.WITH_BODY.getDescription()).getFormat())
                .isEqualTo("With a body of its own.");
    }

    @Test
    void anUndescribedConstantFailsNamingIt() {
        assertThatThrownBy(Sample.UNDESCRIBED::getDescription)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Sample.UNDESCRIBED is not @Described");
    }

    @Test
    void kebabIsTheLowerCaseNameWithDashes() {
        assertThat(OptionEnum.kebab(Sample.FIRST_VALUE)).isEqualTo("first-value");
        assertThat(OptionEnum.kebab(Sample.UNDESCRIBED)).isEqualTo("undescribed");
    }
}
