package moq.relay.wire.d14;

import java.util.Objects;

/**
 * FETCH (0x16, §"Fetch Handling"): {@code Request ID (i), Subscriber Priority (8), Group Order (8),
 * Fetch Type (i), [Standalone], [Joining], Number of Parameters (i), Parameters}. Exactly one of
 * {@code standalone} (type 0x1) and {@code joining} (types 0x2 and 0x3) is non-null. Group Order 0 asks for
 * the publisher's order.
 */
public record Fetch(
    long requestId,
    int subscriberPriority,
    GroupOrder groupOrder,
    FetchType fetchType,
    StandaloneFetch standalone,
    JoiningFetch joining,
    MessageParameters parameters) implements ParameterizedMessage
{
    public Fetch
    {
        Fields.varint(requestId, "requestId");
        Fields.uint8(subscriberPriority, "subscriberPriority");
        Objects.requireNonNull(groupOrder, "groupOrder");
        Objects.requireNonNull(fetchType, "fetchType");
        if (fetchType.isJoining() ? joining == null || standalone != null : standalone == null || joining != null)
        {
            throw new IllegalArgumentException(fetchType + " fetch needs exactly its own structure");
        }
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.FETCH);
    }

    public static Fetch standalone(
        final long requestId,
        final int subscriberPriority,
        final GroupOrder groupOrder,
        final StandaloneFetch standalone,
        final MessageParameters parameters)
    {
        return new Fetch(requestId, subscriberPriority, groupOrder, FetchType.STANDALONE, standalone, null, parameters);
    }

    public static Fetch joining(
        final long requestId,
        final int subscriberPriority,
        final GroupOrder groupOrder,
        final FetchType joiningType,
        final JoiningFetch joining,
        final MessageParameters parameters)
    {
        return new Fetch(requestId, subscriberPriority, groupOrder, joiningType, null, joining, parameters);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.FETCH;
    }
}
