package moq.relay.engine;

import moq.relay.fanout.StreamResetCode;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;

import moq.relay.fanout.FetchWriter;

/** A {@link FetchWriter} that records what it is given. */
final class RecordingFetchWriter implements FetchWriter
{
    final List<String> calls = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    final List<Integer> statuses = new ArrayList<>();
    final List<Boolean> datagrams = new ArrayList<>();
    boolean ended;
    StreamResetCode reset;
    boolean writable = true;

    @Override
    public boolean isWritable()
    {
        return writable;
    }

    @Override
    public void writeObject(
        final long group, final long subgroup, final boolean datagram, final long objectId,
        final int publisherPriority, final int status, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
        final int payloadLength)
    {
        final byte[] p = new byte[payloadLength];
        buffer.getBytes(payloadOffset, p);
        payloads.add(p);
        calls.add(group + "/" + objectId);
        statuses.add(status);
        datagrams.add(datagram);
    }

    @Override
    public void unknownRange(final long group, final long object)
    {
        calls.add("unknown.." + group + "/" + object);
    }

    @Override
    public void nonexistentRange(final long group, final long object)
    {
        calls.add("none.." + group + "/" + object);
    }

    @Override
    public void end()
    {
        ended = true;
    }

    @Override
    public void reset(final StreamResetCode code)
    {
        reset = code;
    }
}
