package moq.relay.wire.d14;

import moq.relay.wire.TrackNamespace;

/**
 * UNSUBSCRIBE_NAMESPACE (0x14, §"UNSUBSCRIBE_NAMESPACE"): {@code Track Namespace Prefix (tuple)}, "as defined
 * in SUBSCRIBE_NAMESPACE", so 1 to 32 fields too (and, as there, an empty one is decoded for the session to
 * answer). No Request ID in -14: the prefix names the subscription.
 */
public record UnsubscribeNamespace(TrackNamespace trackNamespacePrefix) implements Draft14Message
{
    public UnsubscribeNamespace
    {
        Fields.prefix(trackNamespacePrefix, "trackNamespacePrefix");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.UNSUBSCRIBE_NAMESPACE;
    }
}
