package moq.relay.session;

import moq.relay.auth.Authorizer;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.MemoryBudget;

/**
 * The session layer's bounds, read once from the relay's {@link RelayConfiguration} when the factories are built.
 *
 * @param peerRequestIdWindow draft-18: request ids remembered below a peer's highest (see {@link PeerRequestIds}); the
 *                            QUIC bidirectional stream limit the relay grants, at most {@link #MAX_REQUEST_ID_WINDOW}.
 * @param setupTimeoutMillis how long after it opens a session may go without the peer's SETUP / CLIENT_SETUP.
 * @param maxControlBytes    bytes of partial control messages one session may hold.
 * @param controlBytes       the relay-wide budget of partial control messages, parent of every session's.
 * @param authorizer         what every session consults at SETUP and per request (docs/auth.md): the relay's
 *                           token scheme or {@code NoAuth} by default, or an embedder's own.
 * @param authTokenCacheBytes MAX_AUTH_TOKEN_CACHE_SIZE each session advertises (and its alias cache holds).
 * @param maxAuthTokenBytes  longest Token Value accepted.
 * @param webTransportPath   the relay's WebTransport path: the connection path is what follows it.
 * @param authRefusals       told each authorization refusal's failure (metrics), never a token.
 */
record SessionSettings(
    String implementation,
    int maxPendingStreams,
    int maxEarlyStreams,
    int requestWindow,
    int maxObjectProperties,
    int maxObjectPayload,
    long publishDoneGraceMillis,
    long unknownAliasWaitMillis,
    int maxUnknownAliasStreams,
    long maxGatheredBytes,
    SetupTarget setupTarget,
    int peerRequestIdWindow,
    long setupTimeoutMillis,
    long maxControlBytes,
    MemoryBudget controlBytes,
    Authorizer authorizer,
    long authTokenCacheBytes,
    int maxAuthTokenBytes,
    String webTransportPath,
    java.util.function.Consumer<String> authRefusals)
{
    /** 2^16 ids: 8 KiB of bits per draft-18 session at most, whatever stream limit is configured. */
    static final int MAX_REQUEST_ID_WINDOW = 1 << 16;

    /** @param config the relay's configuration (an object's properties plus payload at most the store's maximum). */
    static SessionSettings from(final RelayConfiguration config, final Authorizer authorizer,
        final java.util.function.Consumer<String> authRefusals)
    {
        return new SessionSettings("moq-relay", config.sessionMaxPendingStreams(), config.sessionMaxEarlyStreams(),
            config.sessionRequestWindow(), config.sessionMaxObjectProperties(), config.storeMaxObjectBytes(),
            config.sessionPublishDoneGrace().toMillis(), config.sessionUnknownAliasWait().toMillis(),
            config.sessionMaxUnknownAliasStreams(), config.sessionMaxGatheredBytes(),
            new SetupTarget(config.sessionPaths(), config.sessionAuthorities()),
            (int)Math.max(1, Math.min(MAX_REQUEST_ID_WINDOW, config.quicInitialMaxStreamsBidi())),
            config.sessionSetupTimeout().toMillis(), config.sessionMaxControlBytes(),
            new MemoryBudget(config.maxControlBytes(), null), authorizer, config.authTokenCacheBytes(),
            config.authMaxTokenBytes(), config.webTransportPath(), authRefusals);
    }
}
