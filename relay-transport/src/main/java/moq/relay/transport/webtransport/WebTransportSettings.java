package moq.relay.transport.webtransport;

import java.util.List;

import moq.relay.config.RelayConfiguration;

/**
 * WebTransport settings: a snapshot of the {@code moq.relay.webtransport.*} properties of
 * {@link RelayConfiguration}, where each is documented, and of {@code moq.relay.session.stream.starts.per.turn}
 * ({@code streamStartsPerTurn}: peer-opened streams each WebTransport session starts per event-loop turn).
 */
public record WebTransportSettings(
    String path,
    List<String> allowedOrigins,
    List<String> protocols,
    int maxSessions,
    int maxBufferedStreams,
    int maxBufferedDatagrams,
    int maxCapsuleSize,
    int maxPendingStreams,
    int streamStartsPerTurn)
{
    public WebTransportSettings
    {
        allowedOrigins = List.copyOf(allowedOrigins);
        protocols = List.copyOf(protocols);
    }

    /** With the default bound on stream starts per turn. */
    public WebTransportSettings(final String path, final List<String> allowedOrigins, final List<String> protocols,
        final int maxSessions, final int maxBufferedStreams, final int maxBufferedDatagrams, final int maxCapsuleSize,
        final int maxPendingStreams)
    {
        this(path, allowedOrigins, protocols, maxSessions, maxBufferedStreams, maxBufferedDatagrams, maxCapsuleSize,
            maxPendingStreams, RelayConfiguration.SESSION_STREAM_STARTS_PER_TURN_DEFAULT);
    }

    public static WebTransportSettings from(final RelayConfiguration config)
    {
        return new WebTransportSettings(
            config.webTransportPath(),
            config.webTransportAllowedOrigins(),
            config.webTransportProtocols(),
            config.webTransportMaxSessions(),
            config.webTransportMaxBufferedStreams(),
            config.webTransportMaxBufferedDatagrams(),
            config.webTransportMaxCapsuleSize(),
            config.webTransportMaxPendingStreams(),
            config.sessionStreamStartsPerTurn());
    }

    /** These settings with only the {@code wt-protocol} values {@code keep} accepts. */
    public WebTransportSettings withProtocols(final java.util.function.Predicate<String> keep)
    {
        return new WebTransportSettings(path, allowedOrigins, protocols.stream().filter(keep).toList(), maxSessions,
            maxBufferedStreams, maxBufferedDatagrams, maxCapsuleSize, maxPendingStreams, streamStartsPerTurn);
    }

    /** The settings of the system properties ({@link RelayConfiguration#load()}). */
    public static WebTransportSettings fromSystemProperties()
    {
        return from(RelayConfiguration.load());
    }


    /** True when a request with this {@code origin} (null: none sent) may open a session. */
    public boolean originAllowed(final CharSequence origin)
    {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin.toString());
    }
}
