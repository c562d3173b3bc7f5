package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The real-client cases that fail today because Crossbar lacks a feature, each with the point of issue 15 that
 * will build it and the words its failure must contain. A listed case that fails that way is reported as
 * skipped with the reason; one that fails another way, or passes, fails the build: the work on that point
 * removes its entries, and a new regression cannot hide behind an old one.
 */
final class ExpectedFailures {

    /** Cases (by id pattern) that fail until an issue point is done, and the words of their failure. */
    record Known(Pattern cases, String failureContains, String issuePoint) {}

    static final List<Known> KNOWN = List.of();

    private ExpectedFailures() {}

    /** Passes, fails, or (for a listed case failing as listed) aborts the current test with the reason. */
    static void verify(String caseId, boolean ok, String detail) {
        Known known = null;
        for (Known k : KNOWN) {
            if (k.cases().matcher(caseId).matches()) {
                known = k;
            }
        }
        if (known == null) {
            if (!ok) {
                fail(caseId + ": " + detail);
            }
            return;
        }
        if (ok) {
            fail(caseId + " passes now: remove it from ExpectedFailures (" + known.issuePoint() + ")");
        }
        if (!detail.contains(known.failureContains())) {
            fail(caseId + " is expected to fail with '" + known.failureContains() + "' until " + known.issuePoint()
                    + ", but failed otherwise: " + detail);
        }
        Assumptions.abort("expected failure until " + known.issuePoint() + ": " + detail);
    }
}
