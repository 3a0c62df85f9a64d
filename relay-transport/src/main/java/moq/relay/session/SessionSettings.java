package moq.relay.session;

import moq.relay.config.RelayConfiguration;

/** The session layer's bounds, read once from the relay's {@link RelayConfiguration} when the factories are built. */
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
    SetupTarget setupTarget)
{
    /** @param config the relay's configuration (an object's properties plus payload at most the store's maximum). */
    static SessionSettings from(final RelayConfiguration config)
    {
        return new SessionSettings("moq-relay", config.sessionMaxPendingStreams(), config.sessionMaxEarlyStreams(),
            config.sessionRequestWindow(), config.sessionMaxObjectProperties(), config.storeMaxObjectBytes(),
            config.sessionPublishDoneGrace().toMillis(), config.sessionUnknownAliasWait().toMillis(),
            config.sessionMaxUnknownAliasStreams(), config.sessionMaxGatheredBytes(),
            new SetupTarget(config.sessionPaths(), config.sessionAuthorities()));
    }
}
