package moq.relay.fanout;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.store.LogHolder;

/**
 * A FETCH answered by a publisher (upstream FETCH) and relayed to the requester's {@link FetchWriter}: the publisher's
 * session offers the objects and range markers from its own thread, in the order its fetch stream carried them; they
 * are copied into a queue and written from this session's egress loop while the writer is writable, like any backlog.
 * <p>
 * Not the live hot path: each object is one copy (properties and payload) into a byte array. The caller bounds the
 * queued bytes (it reserves them before the offer; {@code released} gives them back once written or discarded), so a
 * publisher faster than the requester costs at most that much memory.
 */
public final class RelayedFetchDelivery extends Delivery
{
    public static final int OBJECT = 0;
    public static final int UNKNOWN_RANGE = 1;
    public static final int NONEXISTENT_RANGE = 2;
    private static final int END = 3;
    private static final int RESET = 4;

    /**
     * One queued item; {@code bytes} holds the object's properties then its payload. Immutable once made, so the
     * relay's store of fetched ranges keeps the very items a delivery queued (no second copy) and replays them.
     */
    public record Item(int kind, long group, long subgroup, boolean datagram, long objectId, int priority,
        int status, byte[] bytes, int propertiesLength, StreamResetCode code, boolean draft14Properties)
    {
        /** {@code draft14Properties}: the properties are a draft-14 publisher's Extension Headers (see TrackLog). */
        public Item(final int kind, final long group, final long subgroup, final boolean datagram, final long objectId,
            final int priority, final int status, final byte[] bytes, final int propertiesLength,
            final StreamResetCode code)
        {
            this(kind, group, subgroup, datagram, objectId, priority, status, bytes, propertiesLength, code, false);
        }

        /** An object: its properties and payload copied once into one array. */
        public static Item object(final long group, final long subgroup, final boolean datagram, final long objectId,
            final int priority, final int status, final DirectBuffer properties, final int propertiesOffset,
            final int propertiesLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength)
        {
            return object(group, subgroup, datagram, objectId, priority, status, properties, propertiesOffset,
                propertiesLength, payload, payloadOffset, payloadLength, false);
        }

        /** As above, {@code draft14Properties} saying the properties are a draft-14 publisher's Extension Headers. */
        public static Item object(final long group, final long subgroup, final boolean datagram, final long objectId,
            final int priority, final int status, final DirectBuffer properties, final int propertiesOffset,
            final int propertiesLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength,
            final boolean draft14Properties)
        {
            final byte[] bytes = new byte[propertiesLength + payloadLength];
            if (propertiesLength > 0)
            {
                properties.getBytes(propertiesOffset, bytes, 0, propertiesLength);
            }
            payload.getBytes(payloadOffset, bytes, propertiesLength, payloadLength);
            return new Item(OBJECT, group, subgroup, datagram, objectId, priority, status, bytes, propertiesLength,
                null, draft14Properties);
        }

        /** End of Unknown Range ({@code unknown}) or End of Non-Existent Range up to {@code (group, object)}. */
        public static Item range(final long group, final long object, final boolean unknown)
        {
            return new Item(unknown ? UNKNOWN_RANGE : NONEXISTENT_RANGE, group, 0, false, object, 0, 0, null, 0, null);
        }

        /** Bytes of properties and payload (0 for a range marker). */
        public int length()
        {
            return bytes == null ? 0 : bytes.length;
        }
    }

    private final FetchWriter writer;
    private final LongConsumer released;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final Runnable markPending = this::markPending;
    private volatile boolean over;
    private long objectsWritten;
    /** Run once on the loop when the delivery is finished or cancelled (null: nothing to do). */
    private Runnable onFinished;
    /** Draft 20's Range Filters of the fetch, null for none: objects that fail are not written. */
    private ObjectFilter objectFilter;

    public RelayedFetchDelivery(final EgressSession session, final int subscriberPriority, final boolean descending,
        final FetchWriter writer, final LongConsumer released)
    {
        super(session, null, -1, 0, subscriberPriority, descending);
        this.writer = writer;
        this.released = released;
    }

    /**
     * The next object of the publisher's fetch stream (any thread; the views are read during the call only), whose
     * properties and payload length the caller reserved.
     *
     * @return false if it was not taken (the fetch is over): the reservation was given back.
     */
    public boolean offerObject(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int priority, final int status, final DirectBuffer properties, final int propertiesOffset,
        final int propertiesLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        if (over)
        {
            released.accept(propertiesLength + payloadLength);
            return false;
        }
        return offer(Item.object(group, subgroup, datagram, objectId, priority, status, properties, propertiesOffset,
            propertiesLength, payload, payloadOffset, payloadLength));
    }

    /**
     * An object or range marker made already ({@link Item#object}, {@link Item#range}): queued as is, not copied; an
     * object's length was reserved by the caller, as for {@link #offerObject}.
     *
     * @return false if it was not taken (the fetch is over): the reservation was given back.
     */
    public boolean offerItem(final Item item)
    {
        if (over)
        {
            release(item);
            return false;
        }
        return offer(item);
    }

    /** End of Unknown Range ({@code unknown}) or End of Non-Existent Range up to {@code (group, object)}. */
    public boolean offerRange(final long group, final long object, final boolean unknown)
    {
        return !over && offer(Item.range(group, object, unknown));
    }

    /**
     * The fetch's Range Filters (draft 20; null: none), applied as objects are written: what is queued (and kept for
     * the next requester) is the publisher's whole answer. Set before offers.
     */
    public void objectFilter(final ObjectFilter filter)
    {
        this.objectFilter = filter;
    }

    /** {@code hook} runs once on the egress loop when this delivery finishes or is cancelled. Set before offers. */
    public void onFinished(final Runnable hook)
    {
        this.onFinished = hook;
    }

    /** The publisher's fetch stream ended with FIN: the writer ends after the queued objects. */
    public boolean offerEnd()
    {
        return !over && offer(new Item(END, 0, 0, false, 0, 0, 0, null, 0, null));
    }

    /** The publisher's fetch stream was reset (or the relay gave up on it): the writer is reset after the queue. */
    public boolean offerReset(final StreamResetCode code)
    {
        return !over && offer(new Item(RESET, 0, 0, false, 0, 0, 0, null, 0, code));
    }

    private boolean offer(final Item item)
    {
        queue.offer(item);
        if (over || finished)
        {
            discard(); // cancelled meanwhile: nobody reads the queue any more
            return false;
        }
        if (!scheduled.getAndSet(true) && !session.loop.execute(markPending))
        {
            scheduled.set(false); // the loop's command queue is full: the next offer tries again
        }
        return true;
    }

    private void markPending()
    {
        scheduled.set(false);
        if (!finished)
        {
            session.markPending(this);
        }
    }

    /** The requester cancelled (or its session closed): no more writer calls. Loop thread. */
    public void cancel()
    {
        over = true;
        finished = true;
        discard();
        runFinished();
    }

    private void runFinished()
    {
        final Runnable hook = onFinished;
        if (hook != null)
        {
            onFinished = null;
            hook.run();
        }
    }

    /** No more offers are taken (any thread), e.g. once the requester cancelled. */
    public void close()
    {
        over = true;
    }

    private void discard()
    {
        Item item;
        while ((item = queue.poll()) != null)
        {
            release(item);
        }
    }

    private void release(final Item item)
    {
        if (item.bytes != null)
        {
            released.accept(item.bytes.length);
        }
    }

    @Override
    void onAdded()
    {
    }

    @Override
    boolean writable()
    {
        return writer.isWritable();
    }

    @Override
    boolean hasWork()
    {
        return !finished && !queue.isEmpty();
    }

    @Override
    long holdFrom()
    {
        return LogHolder.NOTHING_HELD; // reads no track log
    }

    @Override
    int nextPublisherPriority()
    {
        final Item item = queue.peek();
        return item == null || item.kind != OBJECT ? 255 : item.priority;
    }

    @Override
    int pump(final int limit)
    {
        int written = 0;
        while (!finished && written < limit && writer.isWritable())
        {
            final Item item = queue.poll();
            if (item == null)
            {
                break;
            }
            release(item);
            switch (item.kind)
            {
                case OBJECT ->
                {
                    view.wrap(item.bytes);
                    if (objectFilter != null && !objectFilter.matches(item.datagram, item.subgroup, item.objectId,
                        item.priority, view, 0, item.propertiesLength, item.draft14Properties))
                    {
                        cursor++;
                        continue; // not in the stream: a gap a filtered FETCH may have (draft-21 §9.11)
                    }
                    final int payloadLength = item.bytes.length - item.propertiesLength;
                    final WriterProperties p = session.loop.writerProperties();
                    p.of(view, 0, item.propertiesLength, item.draft14Properties, false, writer.propertiesEncoding(),
                        writer.readsRelayProperties());
                    writer.writeObject(item.group, item.subgroup, item.datagram, item.objectId, item.priority,
                        item.status, p.buffer, p.offset, p.length, view, item.propertiesLength, payloadLength);
                    session.objectOut(item.status, payloadLength);
                    objectsWritten++;
                    written++;
                }
                case UNKNOWN_RANGE -> writer.unknownRange(item.group, item.objectId);
                case NONEXISTENT_RANGE -> writer.nonexistentRange(item.group, item.objectId);
                case END ->
                {
                    finished = true;
                    writer.end();
                }
                default ->
                {
                    finished = true;
                    writer.reset(item.code);
                }
            }
            cursor++; // progress marker for EgressSession (this delivery has no log position)
        }
        if (finished)
        {
            over = true;
            discard();
            runFinished();
        }
        return written;
    }

    public long objectsWritten()
    {
        return objectsWritten;
    }
}
