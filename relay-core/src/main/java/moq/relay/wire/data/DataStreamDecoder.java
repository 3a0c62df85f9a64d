package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Incremental decoder for one data stream (SUBGROUP_HEADER or FETCH_HEADER and the objects after it), fed
 * from the stream's first byte in chunks of any size. One instance per stream, {@link #reset} for the next;
 * nothing is allocated per chunk or per object.
 *
 * <p>Headers (the stream header, each object's fields up to the payload) are parsed straight from the
 * chunk when they lie whole inside it. A header split across chunks is gathered in a scratch buffer; the parser
 * reports how many bytes it needs next, so a header is re-parsed only when enough bytes are there, keeping 1-byte
 * feeding linear. Payload is never buffered: each chunk's share goes straight to {@link DataStreamHandler#onPayload}.
 *
 * <p>Memory: the scratch exists only once a header is split, and grows with the bytes that actually arrived (doubling,
 * at most twice what it holds, never to a length the header merely declares), up to the properties bound. Every
 * growth is charged to the {@link BufferBudget} given at construction; if the budget refuses, the decoder gives the
 * stream up ({@link #abandoned()}): it drops what it holds and ignores the rest of the stream, data and FIN alike,
 * and the caller stops the stream. The scratch is given back on failure, when abandoned and on {@link #close}; a
 * decoder {@link #reset} for another stream keeps it (still charged), so reuse allocates nothing.
 *
 * <p>The session classifies a new stream with {@link StreamType#of} and hands only SUBGROUP and FETCH streams
 * here, from byte 0 (the type is read again); any other type is a PROTOCOL_VIOLATION to this decoder.
 * After a {@link WireException} the decoder is failed and rejects further input until {@link #reset}.
 * Single-threaded: one decoder belongs to the event loop that owns the stream.
 */
public final class DataStreamDecoder implements StreamDecoder
{
    /** Bound on the fixed fields of any header: six 9-byte varints and a priority byte, rounded up. */
    private static final int FIXED_HEADER_BOUND = 64;
    /** Smallest scratch allocated for a split header: a header without large properties fits. */
    private static final int MIN_SCRATCH = 64;

    private static final int STATE_STREAM_HEADER = 0;
    private static final int STATE_OBJECT = 1;
    private static final int STATE_PAYLOAD = 2;
    private static final int STATE_ENDED = 3;
    private static final int STATE_FAILED = 4;
    /** The budget refused the scratch: the rest of the stream is ignored. */
    private static final int STATE_ABANDONED = 5;

    private static final int KIND_NONE = 0;
    private static final int KIND_SUBGROUP = 1;
    private static final int KIND_FETCH = 2;

    private static final long FETCH_SUBGROUP_MASK = FetchFlags.SUBGROUP_MASK;
    private static final long FETCH_OBJECT_DELTA = FetchFlags.OBJECT_ID_DELTA;
    private static final long FETCH_GROUP_DELTA = FetchFlags.GROUP_ID_DELTA;
    private static final long FETCH_PRIORITY = FetchFlags.PRIORITY;
    private static final long FETCH_PROPERTIES = FetchFlags.PROPERTIES;
    private static final long FETCH_DATAGRAM = FetchFlags.DATAGRAM;
    private static final long DRAFT14_MAX_ID = QuicVarint.MAX_VALUE;

    private final DataStreamHandler handler;
    private final int maxPropertiesLength;
    /** Null until a header is split; grows with the bytes held, up to {@link #maxScratch}, charged to {@link #budget}. */
    private UnsafeBuffer scratch;
    private final int maxScratch;
    private final BufferBudget budget;
    private final SubgroupHeader subgroupHeader = new SubgroupHeader();
    private final ObjectHeader objectHeader = new ObjectHeader();

    private Draft draft;
    private boolean moqt;
    private int state;
    private int kind;
    private int scratchLength;
    private int scratchNeed;
    private long payloadRemaining;

    // Subgroup stream state.
    private boolean hasPriorObject;
    private long priorObjectId;
    private boolean streamClosedByStatus;

    // Fetch stream state (draft-18 "prior Object" rules, §"Fetch Header" and §"End of Range").
    private boolean descending;
    private boolean hasPriorLocation;
    private long priorGroupId;
    private boolean hasPriorSubgroup;
    private long priorSubgroupId;
    private boolean hasPriorPriority;
    private int priorPriority;

    // Parse cursor over the current header attempt: a chunk or the scratch buffer.
    private DirectBuffer cursorBuffer;
    private int cursorStart;
    private int cursorPosition;
    private int cursorLimit;
    private int cursorNeed;
    private long cursorValue;

    /**
     * @param draft               the session's draft; {@link #reset} may change it for the next stream.
     * @param handler             receives the callbacks; kept for the decoder's life. It must not throw: the
     *                            decoder does not roll back a header whose callback failed.
     * @param maxPropertiesLength largest properties / extension headers block accepted per object; larger is a
     *                            PROTOCOL_VIOLATION. Also bounds the scratch buffer.
     */
    public DataStreamDecoder(final Draft draft, final DataStreamHandler handler, final int maxPropertiesLength)
    {
        this(draft, handler, maxPropertiesLength, BufferBudget.UNBOUNDED);
    }

    /**
     * @param budget charged with the scratch buffer as it grows; a refusal abandons the stream (see the class comment).
     */
    public DataStreamDecoder(final Draft draft, final DataStreamHandler handler, final int maxPropertiesLength,
        final BufferBudget budget)
    {
        if (maxPropertiesLength < 0 || maxPropertiesLength > (1 << 24))
        {
            throw new IllegalArgumentException("maxPropertiesLength " + maxPropertiesLength);
        }
        this.handler = handler;
        this.maxPropertiesLength = maxPropertiesLength;
        this.maxScratch = maxPropertiesLength + FIXED_HEADER_BOUND;
        this.budget = budget;
        reset(draft);
    }

    /** Readies the decoder for a new stream of the given draft. */
    public void reset(final Draft draft)
    {
        this.draft = draft;
        this.moqt = draft.atLeast(18);
        state = STATE_STREAM_HEADER;
        kind = KIND_NONE;
        scratchLength = 0;
        scratchNeed = 0;
        payloadRemaining = 0;
        hasPriorObject = false;
        priorObjectId = 0;
        streamClosedByStatus = false;
        descending = false;
        hasPriorLocation = false;
        priorGroupId = 0;
        hasPriorSubgroup = false;
        priorSubgroupId = 0;
        hasPriorPriority = false;
        priorPriority = 0;
        subgroupHeader.reset();
        cursorBuffer = null;
        objectHeader.propertiesBuffer = null;
    }

    public Draft draft()
    {
        return draft;
    }

    /** True between an object header and its last payload byte. */
    public boolean inPayload()
    {
        return state == STATE_PAYLOAD;
    }

    /** True once the budget refused the scratch: the rest of the stream is ignored. */
    public boolean abandoned()
    {
        return state == STATE_ABANDONED;
    }

    /** Bytes this decoder holds (its scratch), all charged to its budget. */
    public int heldBytes()
    {
        return scratch == null ? 0 : scratch.capacity();
    }

    /** The stream is gone (closed or reset mid-way): gives back what the decoder holds. */
    public void close()
    {
        releaseScratch();
    }

    /**
     * Consumes a chunk of the stream. The chunk belongs to the caller; views handed to the handler point
     * into it (or into the decoder's scratch buffer) only for the duration of each callback.
     */
    @Override
    public void onData(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        if (state == STATE_ABANDONED)
        {
            return;
        }
        if (state >= STATE_ENDED)
        {
            throw WireException.protocolViolation(state == STATE_ENDED ? "data after FIN" : "data stream already failed");
        }
        try
        {
            int position = offset;
            final int end = offset + length;
            while (position < end)
            {
                if (state == STATE_PAYLOAD)
                {
                    final int available = end - position;
                    final int n = Long.compareUnsigned(payloadRemaining, available) < 0 ? (int)payloadRemaining : available;
                    handler.onPayload(buffer, position, n);
                    position += n;
                    payloadRemaining -= n;
                    if (payloadRemaining == 0)
                    {
                        state = STATE_OBJECT;
                        handler.onObjectEnd();
                    }
                }
                else if (scratchLength == 0)
                {
                    final int result = parse(buffer, position, end - position);
                    if (result > 0)
                    {
                        position += result;
                    }
                    else
                    {
                        // Incomplete header: keep what there is and wait for -result bytes in all.
                        final int available = end - position;
                        scratchNeed = needed(-result);
                        if (!ensureScratch(available, 0))
                        {
                            abandon();
                            return;
                        }
                        scratch.putBytes(0, buffer, position, available);
                        scratchLength = available;
                        position = end;
                    }
                }
                else
                {
                    // Take at least what the parser asked for, and a little more if the chunk has it, so a header
                    // cut at several fields is not re-parsed once per field; any surplus is given back below.
                    final int target = Math.min(maxScratch, Math.max(scratchNeed, scratchLength + FIXED_HEADER_BOUND));
                    final int take = Math.min(target - scratchLength, end - position);
                    if (!ensureScratch(scratchLength + take, scratchLength))
                    {
                        abandon();
                        return;
                    }
                    scratch.putBytes(scratchLength, buffer, position, take);
                    scratchLength += take;
                    position += take;
                    if (scratchLength >= scratchNeed)
                    {
                        final int result = parse(scratch, 0, scratchLength);
                        if (result > 0)
                        {
                            // The header may end before the scratch does: the surplus came from this chunk (the
                            // header was incomplete without this chunk's bytes), so it is read again from there.
                            position -= scratchLength - result;
                            scratchLength = 0;
                        }
                        else
                        {
                            scratchNeed = needed(-result);
                        }
                    }
                }
            }
        }
        catch (final WireException ex)
        {
            state = STATE_FAILED;
            releaseScratch();
            throw ex;
        }
    }

    /**
     * The stream ended with a FIN. Clean only at an object boundary after a complete stream header
     * (draft-18 and draft-14 §"Streams": FIN inside an object is a PROTOCOL_VIOLATION).
     */
    public void onFin() throws WireException
    {
        if (state == STATE_ABANDONED)
        {
            return;
        }
        if (state >= STATE_ENDED)
        {
            throw WireException.protocolViolation(state == STATE_ENDED ? "second FIN" : "data stream already failed");
        }
        if (state == STATE_STREAM_HEADER)
        {
            state = STATE_FAILED;
            releaseScratch();
            throw WireException.protocolViolation("FIN inside the data stream header");
        }
        if (state == STATE_PAYLOAD || scratchLength > 0)
        {
            state = STATE_FAILED;
            releaseScratch();
            throw WireException.protocolViolation("FIN inside an object");
        }
        state = STATE_ENDED;
        handler.onStreamEnd();
    }

    private int needed(final int need) throws WireException
    {
        if (need > maxScratch)
        {
            // Unreachable while FIXED_HEADER_BOUND covers the fixed fields; kept as a guard, not an exception path.
            throw WireException.protocolViolation("data stream header longer than " + maxScratch + " bytes");
        }
        return need;
    }

    /**
     * Makes the scratch hold {@code bytes} bytes that have arrived (at most {@link #maxScratch}), keeping its first
     * {@code keep}: doubling, so 1-byte feeding stays linear, but never past twice the bytes held nor past what the
     * header needs, whatever length it declares.
     *
     * @return false if the budget refused the growth (the scratch is unchanged).
     */
    private boolean ensureScratch(final int bytes, final int keep)
    {
        final int capacity = heldBytes();
        if (bytes <= capacity)
        {
            return true;
        }
        final int grownCapacity = Math.min(Math.min(maxScratch, Math.max(bytes, scratchNeed)),
            Math.max(bytes, Math.max(MIN_SCRATCH, 2 * capacity)));
        if (!budget.reserve(grownCapacity - capacity))
        {
            return false;
        }
        final byte[] grown = new byte[grownCapacity];
        if (scratch != null)
        {
            scratch.getBytes(0, grown, 0, keep); // the old array is dropped: its charge carries over to the new one
        }
        scratch = new UnsafeBuffer(grown);
        return true;
    }

    private void releaseScratch()
    {
        if (scratch != null)
        {
            budget.release(scratch.capacity());
            scratch = null;
        }
        scratchLength = 0;
    }

    /** The budget refused: drop what is held and ignore the rest of the stream. */
    private void abandon()
    {
        state = STATE_ABANDONED;
        releaseScratch();
    }

    /** @return bytes consumed (> 0) after a complete header was handled, or minus the bytes needed in all. */
    private int parse(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        cursorBuffer = buffer;
        cursorStart = offset;
        cursorPosition = offset;
        cursorLimit = offset + length;
        final boolean complete;
        if (state == STATE_STREAM_HEADER)
        {
            complete = parseStreamHeader();
        }
        else if (kind == KIND_SUBGROUP)
        {
            complete = parseSubgroupObject();
        }
        else if (moqt)
        {
            complete = parseFetchObject18();
        }
        else
        {
            complete = parseFetchObject14();
        }
        return complete ? cursorPosition - cursorStart : -cursorNeed;
    }

    private boolean varint()
    {
        final int position = cursorPosition;
        if (position >= cursorLimit)
        {
            cursorNeed = position - cursorStart + 1;
            return false;
        }
        final DirectBuffer buffer = cursorBuffer;
        final int size = moqt ? MoqtVarint.size(buffer, position) : QuicVarint.size(buffer, position);
        if (size > cursorLimit - position)
        {
            cursorNeed = position - cursorStart + size;
            return false;
        }
        cursorValue = moqt ? MoqtVarint.value(buffer, position) : QuicVarint.value(buffer, position);
        cursorPosition = position + size;
        return true;
    }

    private boolean uint8()
    {
        if (cursorPosition >= cursorLimit)
        {
            cursorNeed = cursorPosition - cursorStart + 1;
            return false;
        }
        cursorValue = cursorBuffer.getByte(cursorPosition++) & 0xFF;
        return true;
    }

    private boolean skip(final int length)
    {
        if (length > cursorLimit - cursorPosition)
        {
            cursorNeed = cursorPosition - cursorStart + length;
            return false;
        }
        cursorPosition += length;
        return true;
    }

    private int propertiesLength(final long length) throws WireException
    {
        if (Long.compareUnsigned(length, maxPropertiesLength) > 0)
        {
            throw WireException.protocolViolation("object properties of " + Long.toUnsignedString(length) +
                " bytes exceed the limit of " + maxPropertiesLength);
        }
        return (int)length;
    }

    private boolean parseStreamHeader() throws WireException
    {
        if (!varint())
        {
            return false;
        }
        final long type = cursorValue;
        if (type == StreamType.FETCH_HEADER_TYPE)
        {
            if (!varint())
            {
                return false;
            }
            kind = KIND_FETCH;
            state = STATE_OBJECT;
            descending = handler.onFetchHeader(cursorValue);
            return true;
        }
        if (!SubgroupHeaderType.isValid(draft, type))
        {
            throw WireException.protocolViolation(
                (type & ~0x7FL) == 0 && (type & SubgroupHeaderType.ALWAYS_SET) != 0 && SubgroupHeaderType.subgroupIdMode(type) == 3 ?
                "reserved SUBGROUP_ID_MODE 0b11 in subgroup header type 0x" + Long.toHexString(type) :
                "not a data stream type: 0x" + Long.toHexString(type));
        }
        if (!varint())
        {
            return false;
        }
        final long trackAlias = cursorValue;
        if (!varint())
        {
            return false;
        }
        final long groupId = cursorValue;
        final int mode = SubgroupHeaderType.subgroupIdMode(type);
        long subgroupId = 0;
        if (mode == SubgroupHeaderType.MODE_EXPLICIT)
        {
            if (!varint())
            {
                return false;
            }
            subgroupId = cursorValue;
        }
        int priority = SubgroupHeader.DEFAULT_PRIORITY;
        if (SubgroupHeaderType.hasPriority(type))
        {
            if (!uint8())
            {
                return false;
            }
            priority = (int)cursorValue;
        }
        final SubgroupHeader header = subgroupHeader;
        header.type = (int)type;
        header.trackAlias = trackAlias;
        header.groupId = groupId;
        header.subgroupId = subgroupId;
        header.subgroupIdKnown = mode != SubgroupHeaderType.MODE_FIRST_OBJECT_ID;
        header.publisherPriority = priority;
        kind = KIND_SUBGROUP;
        state = STATE_OBJECT;
        handler.onSubgroupHeader(header);
        return true;
    }

    private boolean parseSubgroupObject() throws WireException
    {
        if (streamClosedByStatus)
        {
            throw WireException.protocolViolation("object after End of Group / End of Track on the same subgroup stream");
        }
        if (!varint())
        {
            return false;
        }
        final long delta = cursorValue;
        int propertiesOffset = 0;
        int propertiesLength = 0;
        final SubgroupHeader header = subgroupHeader;
        if (header.hasProperties())
        {
            if (!varint())
            {
                return false;
            }
            propertiesLength = propertiesLength(cursorValue);
            propertiesOffset = cursorPosition;
            if (!skip(propertiesLength))
            {
                return false;
            }
        }
        if (!varint())
        {
            return false;
        }
        final long payloadLength = cursorValue;
        long status = ObjectStatus.NORMAL;
        if (payloadLength == 0)
        {
            if (!varint())
            {
                return false;
            }
            status = cursorValue;
        }

        // All fields are here: validate, then commit.
        final long objectId;
        if (hasPriorObject)
        {
            // §"Subgroup Header": previous + delta + 1, beyond 2^64-1 is a PROTOCOL_VIOLATION.
            objectId = addIds(priorObjectId, delta, 1);
        }
        else
        {
            objectId = delta;
        }
        ObjectStatus.check(draft, status, propertiesLength);
        if (propertiesLength > 0)
        {
            ObjectProperties.validate(draft, cursorBuffer, propertiesOffset, propertiesLength);
        }

        hasPriorObject = true;
        priorObjectId = objectId;
        if (!header.subgroupIdKnown)
        {
            header.subgroupId = objectId;
            header.subgroupIdKnown = true;
        }
        streamClosedByStatus = ObjectStatus.endsStream(status);
        final ObjectHeader object = objectHeader;
        object.groupId = header.groupId;
        object.subgroupId = header.subgroupId;
        object.datagram = false;
        object.objectId = objectId;
        object.publisherPriority = header.publisherPriority;
        object.status = status;
        setProperties(object, propertiesOffset, propertiesLength);
        object.payloadLength = payloadLength;
        beginPayload(object);
        return true;
    }

    private boolean parseFetchObject18() throws WireException
    {
        if (!varint())
        {
            return false;
        }
        final long flags = cursorValue;
        final boolean timedOut = flags == FetchFlags.END_OF_TIMED_OUT_RANGE && draft.atLeast(20);
        if (flags == FetchFlags.END_OF_NON_EXISTENT_RANGE || flags == FetchFlags.END_OF_UNKNOWN_RANGE || timedOut)
        {
            // §"End of Range": "the Group ID and Object ID fields are present". Read as absolute values, with no
            // Payload Length: a Group ID Delta (always +1 or more) could not name a location in the prior
            // object's group. The draft does not say so outright; the decision and its evidence (drafts 18-21,
            // deployed implementations) are in this package's package-info.
            if (!varint())
            {
                return false;
            }
            final long groupId = cursorValue;
            if (!varint())
            {
                return false;
            }
            final long objectId = cursorValue;
            hasPriorLocation = true;
            priorGroupId = groupId;
            priorObjectId = objectId;
            if (timedOut)
            {
                handler.onEndOfTimedOutRange(groupId, objectId);
            }
            else
            {
                handler.onEndOfRange(groupId, objectId, flags == FetchFlags.END_OF_UNKNOWN_RANGE);
            }
            return true;
        }
        if (Long.compareUnsigned(flags, FetchFlags.MAX_FLAGS) > 0)
        {
            throw WireException.protocolViolation("fetch serialization flags 0x" + Long.toHexString(flags));
        }
        if (!hasPriorLocation && (flags & (FETCH_GROUP_DELTA | FETCH_OBJECT_DELTA)) != (FETCH_GROUP_DELTA | FETCH_OBJECT_DELTA))
        {
            throw WireException.protocolViolation("first fetch object must carry absolute Group and Object IDs");
        }
        long groupDelta = 0;
        if ((flags & FETCH_GROUP_DELTA) != 0)
        {
            if (!varint())
            {
                return false;
            }
            groupDelta = cursorValue;
        }
        final boolean datagram = (flags & FETCH_DATAGRAM) != 0;
        final int subgroupMode = (int)(flags & FETCH_SUBGROUP_MASK);
        long subgroupId = 0;
        if (!datagram)
        {
            if (subgroupMode == 3)
            {
                if (!varint())
                {
                    return false;
                }
                subgroupId = cursorValue;
            }
            else if (subgroupMode != 0 && !hasPriorSubgroup)
            {
                throw WireException.protocolViolation("fetch object refers to a prior Subgroup ID that does not exist");
            }
        }
        long objectDelta = 0;
        if ((flags & FETCH_OBJECT_DELTA) != 0)
        {
            if (!varint())
            {
                return false;
            }
            objectDelta = cursorValue;
        }
        int priority;
        if ((flags & FETCH_PRIORITY) != 0)
        {
            if (!uint8())
            {
                return false;
            }
            priority = (int)cursorValue;
        }
        else if (hasPriorPriority)
        {
            priority = priorPriority;
        }
        else
        {
            throw WireException.protocolViolation("fetch object refers to a prior Priority that does not exist");
        }
        int propertiesOffset = 0;
        int propertiesLength = 0;
        if ((flags & FETCH_PROPERTIES) != 0)
        {
            if (!varint())
            {
                return false;
            }
            propertiesLength = propertiesLength(cursorValue);
            propertiesOffset = cursorPosition;
            if (!skip(propertiesLength))
            {
                return false;
            }
        }
        if (!varint())
        {
            return false;
        }
        final long payloadLength = cursorValue;

        final boolean hasGroupDelta = (flags & FETCH_GROUP_DELTA) != 0;
        final long groupId = fetchGroupId(hasGroupDelta, groupDelta);
        final long objectId = fetchObjectId(hasGroupDelta, (flags & FETCH_OBJECT_DELTA) != 0, objectDelta);
        if (!datagram)
        {
            if (subgroupMode == 1)
            {
                subgroupId = priorSubgroupId;
            }
            else if (subgroupMode == 2)
            {
                subgroupId = addIds(priorSubgroupId, 1, 0);
            }
        }
        if (propertiesLength > 0)
        {
            ObjectProperties.validate(draft, cursorBuffer, propertiesOffset, propertiesLength);
        }

        hasPriorLocation = true;
        priorGroupId = groupId;
        priorObjectId = objectId;
        // §"Flags": modes 0x01 / 0x02 refer to "the prior Object's Subgroup ID". An object with the Datagram flag has
        // none (§"Fetch Header"), so the next object may not refer to it (as after the first object, a
        // PROTOCOL_VIOLATION); an End of Range leaves this unchanged (§"End of Range").
        hasPriorSubgroup = !datagram;
        priorSubgroupId = datagram ? 0 : subgroupId;
        hasPriorPriority = true;
        priorPriority = priority;
        final ObjectHeader object = objectHeader;
        object.groupId = groupId;
        object.subgroupId = subgroupId;
        object.datagram = datagram;
        object.objectId = objectId;
        object.publisherPriority = priority;
        object.status = ObjectStatus.NORMAL;
        setProperties(object, propertiesOffset, propertiesLength);
        object.payloadLength = payloadLength;
        beginPayload(object);
        return true;
    }

    private long fetchGroupId(final boolean hasDelta, final long delta) throws WireException
    {
        if (!hasDelta)
        {
            return priorGroupId;
        }
        if (!hasPriorLocation)
        {
            return delta;
        }
        if (delta == -1L)
        {
            throw WireException.protocolViolation("fetch Group ID Delta overflows");
        }
        if (descending)
        {
            // prior - (delta + 1), below 0 is a PROTOCOL_VIOLATION.
            if (Long.compareUnsigned(delta + 1, priorGroupId) > 0)
            {
                throw WireException.protocolViolation("fetch Group ID would be below 0");
            }
            return priorGroupId - (delta + 1);
        }
        return addIds(priorGroupId, delta, 1);
    }

    private long fetchObjectId(final boolean hasGroupDelta, final boolean hasDelta, final long delta) throws WireException
    {
        if (hasDelta)
        {
            // Absolute when the group delta is present (or on the first object), else relative to the prior object.
            return hasGroupDelta || !hasPriorLocation ? delta : addIds(priorObjectId, delta, 0);
        }
        return addIds(priorObjectId, 1, 0);
    }

    private boolean parseFetchObject14() throws WireException
    {
        if (!varint())
        {
            return false;
        }
        final long groupId = cursorValue;
        if (!varint())
        {
            return false;
        }
        final long subgroupId = cursorValue;
        if (!varint())
        {
            return false;
        }
        final long objectId = cursorValue;
        if (!uint8())
        {
            return false;
        }
        final int priority = (int)cursorValue;
        if (!varint())
        {
            return false;
        }
        final int propertiesLength = propertiesLength(cursorValue);
        final int propertiesOffset = cursorPosition;
        if (!skip(propertiesLength))
        {
            return false;
        }
        if (!varint())
        {
            return false;
        }
        final long payloadLength = cursorValue;
        long status = ObjectStatus.NORMAL;
        if (payloadLength == 0)
        {
            if (!varint())
            {
                return false;
            }
            status = cursorValue;
        }
        ObjectStatus.check(draft, status, propertiesLength);
        if (propertiesLength > 0)
        {
            ObjectProperties.validate(draft, cursorBuffer, propertiesOffset, propertiesLength);
        }
        final ObjectHeader object = objectHeader;
        object.groupId = groupId;
        object.subgroupId = subgroupId;
        object.datagram = false;
        object.objectId = objectId;
        object.publisherPriority = priority;
        object.status = status;
        setProperties(object, propertiesOffset, propertiesLength);
        object.payloadLength = payloadLength;
        beginPayload(object);
        return true;
    }

    private void setProperties(final ObjectHeader object, final int offset, final int length)
    {
        object.propertiesBuffer = length > 0 ? cursorBuffer : null;
        object.propertiesOffset = length > 0 ? offset : 0;
        object.propertiesLength = length;
    }

    private void beginPayload(final ObjectHeader object)
    {
        handler.onObjectHeader(object);
        if (object.payloadLength == 0)
        {
            handler.onObjectEnd();
        }
        else
        {
            payloadRemaining = object.payloadLength;
            state = STATE_PAYLOAD;
        }
    }

    /** {@code a + b + c} for unsigned ids; past 2^64-1 (2^62-1 on draft-14, unencodable there) is a PROTOCOL_VIOLATION. */
    private long addIds(final long a, final long b, final long c) throws WireException
    {
        final long bc = b + c;
        final long sum = a + bc;
        if (Long.compareUnsigned(bc, b) < 0 || Long.compareUnsigned(sum, a) < 0 ||
            (!moqt && Long.compareUnsigned(sum, DRAFT14_MAX_ID) > 0))
        {
            throw WireException.protocolViolation("object, group or subgroup id overflows");
        }
        return sum;
    }
}
