package moq.relay.interop;

import java.util.Map;

/**
 * The outcome of one test case, as reported in TAP.
 *
 * @param name       the case identifier.
 * @param passed     the TAP {@code ok}.
 * @param durationMs whole case, from its first action through the graceful close.
 * @param expected   what the case waited for.
 * @param received   what it got ({@code timeout} when nothing came).
 * @param message    human-readable context, or null.
 * @param alpns      role to the ALPN each session selected.
 */
public record CaseResult(String name, boolean passed, long durationMs, String expected, String received,
    String message, Map<String, String> alpns)
{
}
