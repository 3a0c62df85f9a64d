package moq.relay.client;

import java.util.List;
import moq.relay.auth.TokenRef;
import java.time.Duration;
import java.util.Objects;
import moq.relay.wire.Draft;

/**
 * Where and how a {@link MoqClient} connects.
 *
 * @param host           server host name or address.
 * @param port           server UDP port.
 * @param draft          the MoQT draft to speak; picks the ALPN ({@code moqt-18}, {@code moqt-20} or {@code moq-00}).
 * @param trust          how the server certificate is verified.
 * @param connectTimeout QUIC handshake plus MoQT setup exchange.
 * @param idleTimeout    QUIC max idle timeout.
 * @param path           PATH setup option (raw QUIC), or null to send none.
 * @param listener       session events (GOAWAY, close).
 * @param setupTokens    AUTHORIZATION TOKENs sent in the setup message (a token in the path goes as {@code ?jwt=}).
 */
public record ClientConfig(
    String host,
    int port,
    Draft draft,
    ClientTrust trust,
    Duration connectTimeout,
    Duration idleTimeout,
    String path,
    SessionListener listener,
    List<TokenRef> setupTokens)
{
    /** Sent in the MOQT_IMPLEMENTATION setup option. */
    public static final String IMPLEMENTATION = "moq-relay-client";

    public ClientConfig
    {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        listener = listener == null ? SessionListener.NONE : listener;
        setupTokens = setupTokens == null ? List.of() : List.copyOf(setupTokens);
        if (port < 1 || port > 65_535)
        {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /** Without setup tokens. */
    public ClientConfig(final String host, final int port, final Draft draft, final ClientTrust trust,
        final Duration connectTimeout, final Duration idleTimeout, final String path, final SessionListener listener)
    {
        this(host, port, draft, trust, connectTimeout, idleTimeout, path, listener, List.of());
    }

    /**
     * Sends {@code tokens} as the setup message's AUTHORIZATION TOKENs (draft 18 SETUP, draft 14 CLIENT_SETUP), in
     * order: USE_VALUE or REGISTER ({@link TokenRef#useValue}, or a {@link TokenRef} built by hand).
     */
    public ClientConfig withSetupTokens(final List<TokenRef> tokens)
    {
        return new ClientConfig(host, port, draft, trust, connectTimeout, idleTimeout, path, listener, tokens);
    }

    public static ClientConfig of(final String host, final int port, final Draft draft, final ClientTrust trust)
    {
        return new ClientConfig(host, port, draft, trust, Duration.ofSeconds(10), Duration.ofSeconds(30), null,
            SessionListener.NONE);
    }

    public ClientConfig withListener(final SessionListener sessionListener)
    {
        return new ClientConfig(host, port, draft, trust, connectTimeout, idleTimeout, path, sessionListener,
            setupTokens);
    }

    /** The moqt URI's authority, as SETUP's AUTHORITY carries it: host[:port], an IPv6 literal in brackets. */
    public String authority()
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public ClientConfig withPath(final String setupPath)
    {
        return new ClientConfig(host, port, draft, trust, connectTimeout, idleTimeout, setupPath, listener,
            setupTokens);
    }

    public ClientConfig withTimeouts(final Duration connect, final Duration idle)
    {
        return new ClientConfig(host, port, draft, trust, connect, idle, path, listener, setupTokens);
    }
}
