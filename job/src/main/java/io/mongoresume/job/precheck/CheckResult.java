package io.mongoresume.job.precheck;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One line of the pre-check report: {@code STATUS name: detail}, plus machine-readable {@code data}
 * for {@code --json}. Details and data never hold a password (URIs are masked before they get
 * here).
 */
public record CheckResult(
        CheckStatus status, String name, String detail, Map<String, Object> data) {

    public CheckResult {
        checkNotNull(status);
        checkNotNull(name);
        checkNotNull(detail);
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    static CheckResult pass(String name, String detail, Map<String, Object> data) {
        return new CheckResult(CheckStatus.PASS, name, detail, data);
    }

    static CheckResult warn(String name, String detail, Map<String, Object> data) {
        return new CheckResult(CheckStatus.WARN, name, detail, data);
    }

    static CheckResult fail(String name, String detail) {
        return new CheckResult(CheckStatus.FAIL, name, detail, Map.of());
    }

    /** The human line: {@code PASS|WARN|FAIL <name>: <detail>}. */
    public String line() {
        return status + " " + name + ": " + detail;
    }
}
