package moq.relay.transport;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import moq.relay.config.RelayConfiguration;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.SelfSignedCertificates;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.TlsSettings;

/** Starts real relay servers on 127.0.0.1, ephemeral port, with a generated certificate. */
public final class TestServers
{
    private TestServers()
    {
    }

    public static ServerSettings settings(final int eventLoops, final Duration drainTimeout)
    {
        return new ServerSettings("127.0.0.1", 0, eventLoops, true,
            List.of(RelayConfiguration.ALPN_DEFAULT.split(",")), drainTimeout);
    }

    public static ServerCertificate certificate(final Path certDir)
    {
        return SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(certDir), Clock.systemUTC());
    }

    public static RelayServer start(final ServerSettings settings, final ServerCertificate certificate,
        final SessionFactories factories)
    {
        return new RelayServer(settings, QuicSettings.fromSystemProperties(), certificate, factories).start();
    }
}
