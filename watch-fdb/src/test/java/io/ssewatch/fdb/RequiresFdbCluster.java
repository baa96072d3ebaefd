package io.ssewatch.fdb;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class, with the reason, when no FoundationDB cluster is available. Unlike an
 * assumption in a lifecycle method, the condition is evaluated before any {@code @BeforeEach}
 * or {@code @AfterEach} runs, which suits inherited suites whose cleanup expects a store.
 */
final class RequiresFdbCluster implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = FdbCluster.unavailableReason();
        return reason == null ? ConditionEvaluationResult.enabled("a cluster is available")
                : ConditionEvaluationResult.disabled(reason);
    }
}
