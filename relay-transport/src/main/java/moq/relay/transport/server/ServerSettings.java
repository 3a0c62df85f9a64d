package moq.relay.transport.server;

import java.time.Duration;
import java.util.List;

import moq.relay.config.RelayConfiguration;

/**
 * Where and how the server listens, and how long it drains on shutdown: a snapshot of {@link RelayConfiguration}.
 *
 * @param alpn offered ALPN protocols, most preferred first.
 * @param dev  also serve the development web server (HTTP and HTTPS on TCP at the same port number).
 */
public record ServerSettings(
    String bindAddress,
    int port,
    int eventLoops,
    boolean epoll,
    List<String> alpn,
    Duration drainTimeout,
    boolean dev)
{
    public ServerSettings
    {
        alpn = List.copyOf(alpn);
    }

    /** Settings without the development web server. */
    public ServerSettings(final String bindAddress, final int port, final int eventLoops, final boolean epoll,
        final List<String> alpn, final Duration drainTimeout)
    {
        this(bindAddress, port, eventLoops, epoll, alpn, drainTimeout, false);
    }

    public static ServerSettings from(final RelayConfiguration config)
    {
        return new ServerSettings(
            config.bindAddress(),
            config.port(),
            config.eventLoops(),
            config.epoll(),
            config.alpn(),
            config.shutdownDrainTimeout(),
            config.dev());
    }

    /** The settings of the system properties ({@link RelayConfiguration#load()}). */
    public static ServerSettings fromSystemProperties()
    {
        return from(RelayConfiguration.load());
    }


    public ServerSettings withPort(final int port)
    {
        return new ServerSettings(bindAddress, port, eventLoops, epoll, alpn, drainTimeout, dev);
    }

    public ServerSettings withDev(final boolean dev)
    {
        return new ServerSettings(bindAddress, port, eventLoops, epoll, alpn, drainTimeout, dev);
    }
}
