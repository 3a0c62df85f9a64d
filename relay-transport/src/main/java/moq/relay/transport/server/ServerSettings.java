package moq.relay.transport.server;

import java.time.Duration;
import java.util.List;

import moq.relay.config.RelayConfiguration;

/**
 * Where and how the server listens, and how long it drains on shutdown: a snapshot of {@link RelayConfiguration}.
 *
 * @param alpn offered ALPN protocols, most preferred first.
 */
public record ServerSettings(
    String bindAddress,
    int port,
    int eventLoops,
    boolean epoll,
    List<String> alpn,
    Duration drainTimeout)
{
    public ServerSettings
    {
        alpn = List.copyOf(alpn);
    }

    public static ServerSettings fromSystemProperties()
    {
        return new ServerSettings(
            RelayConfiguration.bindAddress(),
            RelayConfiguration.port(),
            RelayConfiguration.eventLoops(),
            RelayConfiguration.epoll(),
            RelayConfiguration.alpn(),
            RelayConfiguration.shutdownDrainTimeout());
    }

    public ServerSettings withPort(final int port)
    {
        return new ServerSettings(bindAddress, port, eventLoops, epoll, alpn, drainTimeout);
    }
}
