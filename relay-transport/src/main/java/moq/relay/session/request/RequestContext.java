package moq.relay.session.request;

import moq.relay.engine.Session;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.Draft;

/** What a request machine needs of the session it belongs to, whatever the draft. Event-loop confined. */
public interface RequestContext
{
    /** The engine's view of this connection. */
    Session engine();

    MoqTransport transport();

    Draft draft();

    /** Runs an engine callback on the session's event loop, always as a later task (the engine's lock may be held). */
    void onLoop(Runnable task);

    /** Whether the session has closed (answers are then pointless, the engine cleans up). */
    boolean closed();

    /** A track alias became known: subgroup streams that overtook its SUBSCRIBE_OK or PUBLISH go on. */
    void aliasKnown(long trackAlias);

    /** The session's authorization: its token cache and decisions, consulted before each request goes on. */
    SessionAuth auth();

    /** The tracks the peer sends the relay (a PUBLISH whose grant expires is ended through it). */
    UpstreamTracks upstreams();

    /** How long an upstream PUBLISH_DONE waits for counted data streams that never start. */
    long publishDoneGraceMillis();
}
