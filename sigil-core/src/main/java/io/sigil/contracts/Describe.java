package io.sigil.contracts;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sigil's own annotation for {@link Contract#fromRecord}: on a record, the contract's description; on a record
 * component, the deliverable's description, extra rules in the contract rule language (e.g. {@code "len(value) >= 5"})
 * and an example (a JSON literal, e.g. {@code "72"} or {@code "\"Book a demo\""}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Describe {
    String value() default "";

    String[] rules() default {};

    String example() default "";
}
