package moq.relay.transport.webtransport;

import java.util.List;

import moq.relay.config.RelayConfiguration;

/**
 * WebTransport settings: a snapshot of the {@code moq.relay.webtransport.*} properties of
 * {@link RelayConfiguration}, where each is documented.
 */
public record WebTransportSettings(
    String path,
    List<String> allowedOrigins,
    List<String> protocols,
    int maxSessions,
    int maxBufferedStreams,
    int maxBufferedDatagrams,
    int maxCapsuleSize,
    int maxPendingStreams)
{
    public WebTransportSettings
    {
        allowedOrigins = List.copyOf(allowedOrigins);
        protocols = List.copyOf(protocols);
    }

    public static WebTransportSettings fromSystemProperties()
    {
        return new WebTransportSettings(
            RelayConfiguration.webTransportPath(),
            RelayConfiguration.webTransportAllowedOrigins(),
            RelayConfiguration.webTransportProtocols(),
            RelayConfiguration.webTransportMaxSessions(),
            RelayConfiguration.webTransportMaxBufferedStreams(),
            RelayConfiguration.webTransportMaxBufferedDatagrams(),
            RelayConfiguration.webTransportMaxCapsuleSize(),
            RelayConfiguration.webTransportMaxPendingStreams());
    }

    /** True when a request with this {@code origin} (null: none sent) may open a session. */
    public boolean originAllowed(final CharSequence origin)
    {
        return origin == null || allowedOrigins.contains("*") || allowedOrigins.contains(origin.toString());
    }
}
