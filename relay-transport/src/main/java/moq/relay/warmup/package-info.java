/**
 * The relay's JIT warm-up at start-up ({@code moq.relay.warmup.duration}): video-call-shaped traffic through a
 * throwaway relay on a loopback port, so that a freshly started relay serves its first call with compiled receive and
 * forward paths. {@link moq.relay.warmup.StartupWarmup} runs it; nothing of it reaches the real relay's engine,
 * metrics, listeners, peers or cluster.
 */
package moq.relay.warmup;
