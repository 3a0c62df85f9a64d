package moq.relay.wire.d14;

import moq.relay.wire.Location;

import java.util.Objects;

/**
 * SUBSCRIBE_UPDATE (0x2, §"SUBSCRIBE_UPDATE"): {@code Request ID (i), Subscription Request ID (i),
 * Start Location, End Group (i), Subscriber Priority (8), Forward (8), Number of Parameters (i), Parameters}.
 *
 * <p>Unlike SUBSCRIBE's End Group, this one is the end group <em>plus 1</em>, 0 meaning open-ended, hence the
 * component's name. "Like SUBSCRIBE, End Group MUST be greater than or equal to the Group specified in
 * Start", and since SUBSCRIBE_UPDATE has no response, a violation is the PROTOCOL_VIOLATION the section
 * prescribes for updates that break its rules; the codec rejects it. Narrowing (start not decreasing, end
 * not increasing) needs the subscription's state, so the session checks that.
 */
public record SubscribeUpdate(
    long requestId,
    long subscriptionRequestId,
    Location start,
    long endGroupPlusOne,
    int subscriberPriority,
    boolean forward,
    MessageParameters parameters) implements ParameterizedMessage
{
    public SubscribeUpdate
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(subscriptionRequestId, "subscriptionRequestId");
        Fields.location(start, "start");
        Fields.varint(endGroupPlusOne, "endGroupPlusOne");
        if (!endsAtOrAfterStart(start, endGroupPlusOne))
        {
            throw new IllegalArgumentException("end group " + (endGroupPlusOne - 1) + " before start " + start);
        }
        Fields.uint8(subscriberPriority, "subscriberPriority");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.SUBSCRIBE_UPDATE);
    }

    /** Whether an update with this start and encoded end group is well-formed: open, or end group &gt;= start group. */
    static boolean endsAtOrAfterStart(final Location start, final long endGroupPlusOne)
    {
        return endGroupPlusOne == 0 || Long.compareUnsigned(endGroupPlusOne - 1, start.group()) >= 0;
    }

    /** Whether the update leaves the subscription open-ended (End Group 0 on the wire). */
    public boolean openEnded()
    {
        return endGroupPlusOne == 0;
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_UPDATE;
    }
}
