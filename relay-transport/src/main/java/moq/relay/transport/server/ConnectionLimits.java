package moq.relay.transport.server;

import java.time.Duration;

import moq.relay.config.RelayConfiguration;

/**
 * How many QUIC connections the server holds at once (in all and per peer IP address) and how long a connection may
 * take to complete its session's setup: a snapshot of {@link RelayConfiguration}.
 *
 * @param maxConnections           connections at once, handshaking ones included.
 * @param maxConnectionsPerAddress connections at once from one IP address, handshaking ones included.
 * @param setupTimeout             from the handshake to {@link moq.relay.transport.session.TransportSession#setupComplete()}.
 * @param refusedInitialCloses     Initials dropped for a cap answered with a stateless CONNECTION_CLOSE, per second.
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, Duration setupTimeout,
    int refusedInitialCloses)
{
    /** With the default rate of answers to refused Initials. */
    public ConnectionLimits(final int maxConnections, final int maxConnectionsPerAddress, final Duration setupTimeout)
    {
        this(maxConnections, maxConnectionsPerAddress, setupTimeout,
            RelayConfiguration.REFUSED_INITIAL_CLOSES_DEFAULT);
    }

    public static ConnectionLimits from(final RelayConfiguration config)
    {
        return new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerAddress(),
            config.sessionSetupTimeout(), config.refusedInitialClosesPerSecond());
    }
}
