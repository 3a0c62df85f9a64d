package moq.relay.fanout;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one egress loop delivered, for metrics: objects and payload bytes written to subscribers (subscriptions and
 * fetches), subscriptions reset as too far behind (and of those, for the time bound), tracks pumped from the log for a
 * full ring, idle subgroup streams reset to free a lane, subgroup streams skipped while waiting for credit, datagrams
 * its writers dropped, sessions with a backlog, Object Properties converted for another draft's writer (and those
 * left out). One writer, the loop's owner thread, which adds with an opaque
 * store (no lock, no atomic read-modify-write, no allocation: on x86 a plain store); any thread reads the latest
 * values with an opaque load. Monotonic, never reset.
 */
public final class EgressCounters
{
    private static final VarHandle OBJECTS;
    private static final VarHandle BYTES;
    private static final VarHandle TOO_FAR_BEHIND;
    private static final VarHandle BACKLOG_SESSIONS;
    private static final VarHandle DATAGRAMS_DROPPED;
    private static final VarHandle IDLE_SUBGROUPS_RESET;
    private static final VarHandle SUBGROUPS_SKIPPED;
    private static final VarHandle TOO_LATE;
    private static final VarHandle MISSED_PUMPS;
    private static final VarHandle OBJECTS_TIMED_OUT;
    private static final VarHandle PROPERTIES_CONVERTED;
    private static final VarHandle PROPERTIES_DROPPED;
    private static final VarHandle PROPERTY_PAIRS_DROPPED;
    private static final VarHandle IN_TRANSPORT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            OBJECTS = lookup.findVarHandle(EgressCounters.class, "objectsOut", long.class);
            BYTES = lookup.findVarHandle(EgressCounters.class, "bytesOut", long.class);
            TOO_FAR_BEHIND = lookup.findVarHandle(EgressCounters.class, "tooFarBehind", long.class);
            DATAGRAMS_DROPPED = lookup.findVarHandle(EgressCounters.class, "datagramsDropped", long.class);
            IDLE_SUBGROUPS_RESET = lookup.findVarHandle(EgressCounters.class, "idleSubgroupsReset", long.class);
            SUBGROUPS_SKIPPED = lookup.findVarHandle(EgressCounters.class, "subgroupsSkipped", long.class);
            TOO_LATE = lookup.findVarHandle(EgressCounters.class, "tooLate", long.class);
            MISSED_PUMPS = lookup.findVarHandle(EgressCounters.class, "missedPumps", long.class);
            OBJECTS_TIMED_OUT = lookup.findVarHandle(EgressCounters.class, "objectsTimedOut", long.class);
            BACKLOG_SESSIONS = lookup.findVarHandle(EgressCounters.class, "backlogSessions", int.class);
            PROPERTIES_CONVERTED = lookup.findVarHandle(EgressCounters.class, "propertiesConverted", long.class);
            PROPERTIES_DROPPED = lookup.findVarHandle(EgressCounters.class, "propertiesDropped", long.class);
            PROPERTY_PAIRS_DROPPED = lookup.findVarHandle(EgressCounters.class, "propertyPairsDropped", long.class);
            IN_TRANSPORT = lookup.findVarHandle(EgressCounters.class, "objectsInTransport", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // Padding keeps the loop's counters off the cache lines of other loops' counters and of their neighbours.
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
    private long objectsOut;
    private long bytesOut;
    private long tooFarBehind;
    private long datagramsDropped;
    private long idleSubgroupsReset;
    private long subgroupsSkipped;
    private long objectsInTransport;
    private long tooLate;
    private long missedPumps;
    private long objectsTimedOut;
    private int backlogSessions;
    private long propertiesConverted;
    private long propertiesDropped;
    private long propertyPairsDropped;
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7;

    /** An object of {@code payloadBytes} was handed to a writer. Owner thread only. */
    void objectOut(final int payloadBytes)
    {
        OBJECTS.setOpaque(this, objectsOut + 1);
        BYTES.setOpaque(this, bytesOut + payloadBytes);
    }

    /** A subscription was reset as too far behind and skipped to the next group. Owner thread only. */
    void tooFarBehind()
    {
        TOO_FAR_BEHIND.setOpaque(this, tooFarBehind + 1);
    }

    /** Of the {@link #tooFarBehind} resets, one for the time bound (moq.relay.subscriber.backlog.max.delay). */
    void tooLate()
    {
        TOO_LATE.setOpaque(this, tooLate + 1);
    }

    /** An object was dropped for one subscriber: its OBJECT_DELIVERY_TIMEOUT had passed. Owner thread only. */
    void objectTimedOut()
    {
        OBJECTS_TIMED_OUT.setOpaque(this, objectsTimedOut + 1);
    }

    /** A track was pumped from its log because the ring was full when its records were committed. Owner thread. */
    void missedPump()
    {
        MISSED_PUMPS.setOpaque(this, missedPumps + 1);
    }

    /**
     * An idle subgroup stream was reset (EXCESSIVE_LOAD) to free a lane for a new subgroup: what it had not sent is
     * lost. Owner thread only.
     */
    void idleSubgroupReset()
    {
        IDLE_SUBGROUPS_RESET.setOpaque(this, idleSubgroupsReset + 1);
    }

    /**
     * A writer dropped an object datagram it could not send (larger than the subscriber's datagram size, or a status
     * its draft cannot express). Owner thread only: writers run on the loop.
     */
    public void datagramDropped()
    {
        DATAGRAMS_DROPPED.setOpaque(this, datagramsDropped + 1);
    }

    /**
     * A writer gave up a subgroup stream that was still waiting for the subscriber's stream credit (a newer group of
     * its subscription superseded it, or the session's bound of waiting opens refused it), with objects already
     * handed to it: the stream is never opened. Owner thread only: writers run on the loop.
     */
    public void subgroupSkipped()
    {
        SUBGROUPS_SKIPPED.setOpaque(this, subgroupsSkipped + 1);
    }

    /** An object's properties were converted into the writer's draft's encoding ({@link WriterProperties}). */
    void objectPropertiesConverted()
    {
        PROPERTIES_CONVERTED.setOpaque(this, propertiesConverted + 1);
    }

    /** An object went without its properties: converted, they exceeded the loop's budget. Owner thread only. */
    void objectPropertiesDropped()
    {
        PROPERTIES_DROPPED.setOpaque(this, propertiesDropped + 1);
    }

    /** Property pairs left out of converted blocks: the writer's draft cannot carry them. Owner thread only. */
    void propertyPairsDropped(final long pairs)
    {
        PROPERTY_PAIRS_DROPPED.setOpaque(this, propertyPairsDropped + pairs);
    }

    /**
     * Objects handed to a subscriber's stream (+1), or whose bytes QUIC took or that were dropped (-1). Owner thread
     * only.
     */
    public void objectsInTransport(final int delta)
    {
        IN_TRANSPORT.setOpaque(this, objectsInTransport + delta);
    }

    /**
     * Objects the loop's writers handed to subscribers' streams whose bytes QUIC has not taken yet (waiting in the
     * stream channels, out of the engine's time bound): a gauge, which stays near the writers' count while every
     * connection takes what it is given.
     */
    public long objectsInTransport()
    {
        return (long)IN_TRANSPORT.getOpaque(this);
    }

    /** Sessions with a backlog the loop is serving. Owner thread only. */
    void backlogSessions(final int count)
    {
        if (count != backlogSessions)
        {
            BACKLOG_SESSIONS.setOpaque(this, count);
        }
    }

    public long objectsOut()
    {
        return (long)OBJECTS.getOpaque(this);
    }

    public long bytesOut()
    {
        return (long)BYTES.getOpaque(this);
    }

    public long tooFarBehindResets()
    {
        return (long)TOO_FAR_BEHIND.getOpaque(this);
    }

    public long idleSubgroupsReset()
    {
        return (long)IDLE_SUBGROUPS_RESET.getOpaque(this);
    }

    /** Subscriptions skipped because an object waited longer than the time bound (included in the resets). */
    public long tooLateResets()
    {
        return (long)TOO_LATE.getOpaque(this);
    }

    /** Pumps of a track from its log in place of ring events (the ring was full: some loop was behind). */
    public long missedPumps()
    {
        return (long)MISSED_PUMPS.getOpaque(this);
    }

    /** Objects not sent to a subscriber because their OBJECT_DELIVERY_TIMEOUT (draft 20) had passed. */
    public long objectsTimedOut()
    {
        return (long)OBJECTS_TIMED_OUT.getOpaque(this);
    }

    public long datagramsDropped()
    {
        return (long)DATAGRAMS_DROPPED.getOpaque(this);
    }

    public long subgroupsSkipped()
    {
        return (long)SUBGROUPS_SKIPPED.getOpaque(this);
    }

    /** Objects whose properties were converted for a writer of the other encoding (draft 14 against 18/20). */
    public long propertiesConverted()
    {
        return (long)PROPERTIES_CONVERTED.getOpaque(this);
    }

    /** Objects sent without their properties: converted, they exceeded the loop's budget. */
    public long propertiesDropped()
    {
        return (long)PROPERTIES_DROPPED.getOpaque(this);
    }

    /** Property pairs left out of converted blocks because the writer's draft cannot carry them. */
    public long propertyPairsDropped()
    {
        return (long)PROPERTY_PAIRS_DROPPED.getOpaque(this);
    }

    public int backlogSessions()
    {
        return (int)BACKLOG_SESSIONS.getOpaque(this);
    }
}
