package io.mongoresume.connectors.common.config;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * An enum whose constants are the values of a config option. Each constant states its meaning with
 * {@link Described}, which {@link #getDescription()} returns. Flink parses an enum option by
 * matching the constants' {@code toString()} case-insensitively, so an implementing enum overrides
 * {@code toString()} with the value users write, usually {@link #kebab(Enum)}. For enums only.
 */
@PublicEvolving
public interface OptionEnum extends DescribedEnum {

    /** The meaning of one constant of an {@link OptionEnum}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Described {
        String value();
    }

    /** The {@link Described} text of this constant. */
    @Override
    default InlineElement getDescription() {
        Enum<?> constant = (Enum<?>) this;
        Described described;
        try {
            described =
                    constant.getDeclaringClass()
                            .getField(constant.name())
                            .getAnnotation(Described.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
        if (described == null) {
            throw new IllegalStateException(
                    constant.getDeclaringClass().getName()
                            + "."
                            + constant.name()
                            + " is not @Described");
        }
        return text(described.value());
    }

    /** The constant's name in lower case with '-' for '_', e.g. {@code ignore-existing}. */
    static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
