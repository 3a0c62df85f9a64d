/**
 * The MoQ working group interop runner's test cases (englishm/moq-interop-runner: docs/tests/TEST-CASES.md for the
 * procedures, docs/TEST-CLIENT-INTERFACE.md for the client contract) run with our client, {@link
 * moq.relay.client.MoqClient}, over raw QUIC: the library behind the {@code interop} subcommand.
 *
 * <p>{@link moq.relay.interop.InteropCases} is the table of cases (name, timeout, procedure); {@link
 * moq.relay.interop.InteropRunner} runs them one after the other, each with fresh connections and its own
 * deadline, and {@link moq.relay.interop.TapWriter} reports them in TAP version 14 with YAML diagnostics.
 *
 * <p>Not covered: WebTransport ({@code https://} relay URLs are reported as skipped), drafts other than 18 and 14,
 * the runner's later {@code publish-track-*} cases and its planned data-plane cases, and connection ids in the
 * diagnostics (the client does not expose them).
 */
package moq.relay.interop;
