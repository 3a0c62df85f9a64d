package moq.relay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
import moq.relay.session.PublishedNamespaces;
import moq.relay.transport.StartupException;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.ConnectionLimits;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.ServerCertificates;
import moq.relay.transport.tls.TlsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: runs the relay until SIGTERM (or Ctrl-C), then shuts down gracefully. System properties are the
 * configuration; the options below are shortcuts that set the matching property.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the relay (raw QUIC and WebTransport on one UDP port) until SIGTERM. " +
        "Configure it with -Dmoq.relay.* system properties; the options below override a few of them.")
final class ServeCommand implements Callable<Integer>
{
    /** Exit code for a configuration or start-up problem (picocli uses 2 for usage errors too). */
    static final int EXIT_CANNOT_START = 2;

    @Option(names = "--port", description = "UDP port (sets -D" + RelayConfiguration.PORT_PROP_NAME + ").")
    Integer port;

    @Option(names = "--cert", description = "PEM certificate chain (sets -D" +
        RelayConfiguration.TLS_CERT_FILE_PROP_NAME + ").")
    Path cert;

    @Option(names = "--key", description = "PEM private key (sets -D" + RelayConfiguration.TLS_KEY_FILE_PROP_NAME +
        ").")
    Path key;

    @Option(names = "--dev", description = "Development mode: also serve HTTP and HTTPS on TCP at the same port " +
        "number, with /fingerprint and a chat demo page at http://localhost:PORT/ (sets -D" +
        RelayConfiguration.DEV_PROP_NAME + "=true).")
    boolean dev;

    /** Session factories to serve, or null to serve the relay's own MoQT sessions (the normal case). */
    private final SessionFactories factories;

    ServeCommand()
    {
        this(null);
    }

    ServeCommand(final SessionFactories factories)
    {
        this.factories = factories;
    }

    @Override
    public Integer call() throws InterruptedException
    {
        FatalErrors.install(); // an OutOfMemoryError ends the process instead of leaving a zombie
        applyOverrides();
        final RelayServer server;
        Relay relay = null;
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "moq-relay-timer");
            t.setDaemon(true);
            return t;
        });
        try
        {
            // One snapshot of the configuration; every property is read and checked before anything touches the disk
            // or the network.
            final RelayConfiguration engineConfig = RelayConfiguration.load();
            // NoAuth unless moq.relay.auth.enabled; the keys are read (and checked) before anything listens.
            if (engineConfig.authEnabled() && engineConfig.authKeys().isEmpty() &&
                engineConfig.authPublicGet().isEmpty() && engineConfig.authPublicPut().isEmpty())
            {
                throw new IllegalArgumentException(RelayConfiguration.AUTH_ENABLED_PROP_NAME + "=true with neither " +
                    RelayConfiguration.AUTH_KEYS_PROP_NAME + " nor a public prefix: every session would be refused");
            }
            final moq.relay.auth.Authorizer authorizer;
            try
            {
                authorizer = moq.relay.auth.TokenAuthorizer.fromConfiguration(engineConfig);
            }
            catch (final java.io.IOException e)
            {
                throw new IllegalArgumentException("cannot load " + RelayConfiguration.AUTH_KEYS_PROP_NAME + ": " +
                    e.getMessage(), e);
            }
            final ServerSettings serverSettings = ServerSettings.from(engineConfig);
            final QuicSettings quicSettings = QuicSettings.from(engineConfig);
            final TlsSettings tlsSettings = TlsSettings.from(engineConfig);
            engineConfig.logLevel(); // logback.xml applies it; checked here, as logback reads a misspelt level as DEBUG
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.valueOf(
                engineConfig.nettyLeakDetection().toUpperCase(java.util.Locale.ROOT)));
            final ServerCertificate certificate = ServerCertificates.load(tlsSettings, Clock.systemUTC());
            MoqtSessions sessions = null;
            SessionFactories served = factories;
            if (served == null)
            {
                // One egress loop per I/O event loop: each connection's writers run on its own thread.
                relay = new Relay(engineConfig, serverSettings.eventLoops());
                sessions = new MoqtSessions(relay, authorizer);
                served = sessions.register(SessionFactories.builder()).build();
            }
            final RelayServer unstarted = new RelayServer(serverSettings, quicSettings, certificate, served)
                .connectionLimits(ConnectionLimits.from(engineConfig));
            if (relay != null && serverSettings.dev())
            {
                unstarted.announcedNamespaces(new PublishedNamespaces(relay));
            }
            server = unstarted.start();
            if (sessions != null)
            {
                sessions.bindEventLoops(server.eventLoops());
                final Relay engine = relay;
                // The engine's timer: rendezvous timeouts and idle track caches.
                timer.scheduleAtFixedRate(FatalErrors.guard("moq-relay-timer",
                    () -> engine.expireIdle(System.nanoTime())), 100, 100, TimeUnit.MILLISECONDS);
            }
        }
        catch (final StartupException | IllegalArgumentException ex)
        {
            System.err.println("moq-relay: cannot start: " + ex.getMessage());
            timer.shutdownNow();
            if (relay != null)
            {
                relay.close();
            }
            return EXIT_CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownGracefully, "moq-relay-shutdown"));
        server.awaitTermination();
        timer.shutdownNow();
        if (relay != null)
        {
            relay.close();
        }
        return 0;
    }

    private void applyOverrides()
    {
        if (port != null)
        {
            System.setProperty(RelayConfiguration.PORT_PROP_NAME, port.toString());
        }
        if (cert != null)
        {
            System.setProperty(RelayConfiguration.TLS_CERT_FILE_PROP_NAME, cert.toString());
        }
        if (key != null)
        {
            System.setProperty(RelayConfiguration.TLS_KEY_FILE_PROP_NAME, key.toString());
        }
        if (dev)
        {
            System.setProperty(RelayConfiguration.DEV_PROP_NAME, "true");
        }
    }
}
