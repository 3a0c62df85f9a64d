package moq.relay.wire.data;

import org.agrona.DirectBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Records decoder callbacks as strings that do not depend on how the input was split: payload chunks are
 * joined and reported with the object's end. Also checks the callback protocol (payload only inside an object).
 */
final class Recorder implements DataStreamHandler
{
    final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private boolean inObject;
    boolean descending;

    @Override
    public void onSubgroupHeader(final SubgroupHeader h)
    {
        events.add("subgroup type=" + Integer.toHexString(h.type()) + " alias=" + Long.toUnsignedString(h.trackAlias()) +
            " group=" + Long.toUnsignedString(h.groupId()) +
            " subgroup=" + (h.subgroupIdKnown() ? Long.toUnsignedString(h.subgroupId()) : "?") +
            " priority=" + h.publisherPriority());
    }

    @Override
    public boolean onFetchHeader(final long requestId)
    {
        events.add("fetch request=" + requestId);
        return descending;
    }

    @Override
    public void onObjectHeader(final ObjectHeader h)
    {
        if (inObject)
        {
            throw new AssertionError("object header inside an object");
        }
        inObject = true;
        final byte[] props = new byte[h.propertiesLength()];
        if (h.propertiesLength() > 0)
        {
            h.propertiesBuffer().getBytes(h.propertiesOffset(), props);
        }
        events.add(object(h.groupId(), h.datagram() ? -1 : h.subgroupId(), h.objectId(), h.publisherPriority(),
            h.status(), props, h.payloadLength()));
    }

    static String object(
        final long group, final long subgroup, final long object, final int priority, final long status,
        final byte[] props, final long payloadLength)
    {
        return "object g=" + Long.toUnsignedString(group) + " s=" + (subgroup == -1 ? "datagram" : Long.toUnsignedString(subgroup)) +
            " o=" + Long.toUnsignedString(object) + " p=" + priority + " status=" + status +
            " props=" + HexFormat.of().formatHex(props) + " len=" + Long.toUnsignedString(payloadLength);
    }

    static String end(final byte[] payload)
    {
        return "end " + HexFormat.of().formatHex(payload);
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!inObject || length <= 0)
        {
            throw new AssertionError("payload outside an object or empty");
        }
        for (int i = 0; i < length; i++)
        {
            payload.write(buffer.getByte(offset + i));
        }
    }

    @Override
    public void onObjectEnd()
    {
        if (!inObject)
        {
            throw new AssertionError("object end outside an object");
        }
        inObject = false;
        events.add(end(payload.toByteArray()));
        payload.reset();
    }

    @Override
    public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
    {
        events.add("eor g=" + Long.toUnsignedString(groupId) + " o=" + Long.toUnsignedString(objectId) + " unknown=" + unknown);
    }

    @Override
    public void onEndOfTimedOutRange(final long groupId, final long objectId)
    {
        events.add("eor g=" + Long.toUnsignedString(groupId) + " o=" + Long.toUnsignedString(objectId) + " timed out");
    }

    @Override
    public void onStreamEnd()
    {
        events.add("fin");
    }
}
