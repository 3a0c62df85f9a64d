package moq.relay.engine;

import moq.relay.wire.TrackNamespace;

/** NAMESPACE and NAMESPACE_DONE for a SUBSCRIBE_NAMESPACE; suffixes are relative to the subscribed prefix. */
public interface NamespaceListener
{
    void namespace(TrackNamespace suffix);

    void namespaceDone(TrackNamespace suffix);
}
