package moq.relay.session;

import moq.relay.config.RelayConfiguration;

/** The session layer's bounds, read once from {@link RelayConfiguration} when the factories are built. */
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
    SetupTarget setupTarget)
{
    /** @param engine the engine's configuration: an object's payload must fit one store segment. */
    static SessionSettings fromSystemProperties(final RelayConfiguration engine)
    {
        return new SessionSettings("moq-relay", RelayConfiguration.sessionMaxPendingStreams(),
            RelayConfiguration.sessionMaxEarlyStreams(), RelayConfiguration.sessionRequestWindow(),
            RelayConfiguration.sessionMaxObjectProperties(), engine.segmentBytes(),
            RelayConfiguration.sessionPublishDoneGrace().toMillis(),
            RelayConfiguration.sessionUnknownAliasWait().toMillis(), RelayConfiguration.sessionMaxUnknownAliasStreams(),
            new SetupTarget(RelayConfiguration.sessionPaths(), RelayConfiguration.sessionAuthorities()));
    }
}
