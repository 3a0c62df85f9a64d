package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

import moq.relay.fanout.ObjectWriter;

/** An {@link ObjectWriter} that records every call (copying payloads) and can be made unwritable. */
class RecordingWriter implements ObjectWriter
{
    record Obj(long group, long subgroup, long object, int priority, int status, byte[] properties, byte[] payload)
    {
    }

    final List<String> calls = new ArrayList<>();
    final List<Obj> objects = new ArrayList<>();
    final List<Obj> datagrams = new ArrayList<>();
    /** "group/subgroup" of the streams opened with the subgroup's first object (draft-18 FIRST_OBJECT). */
    final List<String> opensAtSubgroupStart = new ArrayList<>();
    volatile boolean writable = true;
    /** What {@link #objectDeliveryTimeoutNanos()} reports: -1, as drafts 14 and 18, unless a test sets it. */
    volatile long objectDeliveryTimeoutNanos = -1;

    @Override
    public long objectDeliveryTimeoutNanos()
    {
        return objectDeliveryTimeoutNanos;
    }

    /** What {@link #subgroupDeliveryTimeoutNanos()} reports: -1, as drafts 14 and 18, unless a test sets it. */
    volatile long subgroupDeliveryTimeoutNanos = -1;

    @Override
    public long subgroupDeliveryTimeoutNanos()
    {
        return subgroupDeliveryTimeoutNanos;
    }
    volatile PublishDoneStatus doneStatus;
    int resets;
    int opens;
    int ends;

    @Override
    public boolean isWritable()
    {
        return writable;
    }

    @Override
    public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
    {
        opens++;
        calls.add("open " + group + "/" + subgroup + " from " + firstObject);
    }

    @Override
    public void openSubgroup(final long group, final long subgroup, final long firstObject,
        final boolean firstInSubgroup, final int priority)
    {
        if (firstInSubgroup)
        {
            opensAtSubgroupStart.add(group + "/" + subgroup);
        }
        openSubgroup(group, subgroup, firstObject, priority);
    }

    @Override
    public void writeObject(
        final long group, final long subgroup, final long objectId, final int publisherPriority, final int status,
        final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
        final int payloadLength)
    {
        final byte[] props = new byte[propertiesLength];
        buffer.getBytes(propertiesOffset, props);
        final byte[] payload = new byte[payloadLength];
        buffer.getBytes(payloadOffset, payload);
        objects.add(new Obj(group, subgroup, objectId, publisherPriority, status, props, payload));
        calls.add("object " + group + "/" + subgroup + "/" + objectId);
    }

    @Override
    public void writeDatagram(
        final long group, final long objectId, final int publisherPriority, final int status, final boolean endOfGroup,
        final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
        final int payloadLength)
    {
        final byte[] props = new byte[propertiesLength];
        buffer.getBytes(propertiesOffset, props);
        final byte[] payload = new byte[payloadLength];
        buffer.getBytes(payloadOffset, payload);
        datagrams.add(new Obj(group, -1, objectId, publisherPriority, status, props, payload));
        calls.add("datagram " + group + "/" + objectId + (endOfGroup ? " eog" : ""));
    }

    /** The time left of the last subgroup ended under a SUBGROUP_DELIVERY_TIMEOUT, nanoseconds; 0 before any. */
    long lastDeliverWithinNanos;

    @Override
    public void endSubgroup(final long group, final long subgroup, final long deliverWithinNanos)
    {
        lastDeliverWithinNanos = deliverWithinNanos;
        endSubgroup(group, subgroup);
    }

    @Override
    public void endSubgroup(final long group, final long subgroup)
    {
        ends++;
        calls.add("end " + group + "/" + subgroup);
    }

    @Override
    public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
    {
        resets++;
        calls.add("reset " + group + "/" + subgroup + " " + code);
    }

    @Override
    public void publishDone(final PublishDoneStatus status, final String reason)
    {
        doneStatus = status;
        calls.add("done " + status);
    }

    List<String> locations()
    {
        final List<String> out = new ArrayList<>();
        for (final Obj o : objects)
        {
            out.add(o.group + "/" + o.object);
        }
        return out;
    }
}
