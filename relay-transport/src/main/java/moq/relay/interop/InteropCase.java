package moq.relay.interop;

import java.time.Duration;

/**
 * One interop runner test case: its identifier (the TAP description), its timeout and its procedure.
 *
 * @param name      identifier from the runner's TEST-CASES.md, e.g. {@code setup-only}.
 * @param timeout   the case's budget; connecting counts, the final graceful close does not.
 * @param procedure the steps; returns what was received on success, throws {@link InteropFailure} otherwise.
 */
public record InteropCase(String name, Duration timeout, Procedure procedure)
{
    @FunctionalInterface
    interface Procedure
    {
        String run(CaseContext context) throws Exception;
    }
}
