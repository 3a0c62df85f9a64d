package moq.relay.engine;

import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.config.RelayConfiguration;
import moq.relay.wire.TrackNamespace;

/** A one-loop relay driven by hand (poll() on the test thread), plus helpers to publish objects. */
final class Harness implements AutoCloseable
{
    final Relay relay;
    final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);

    Harness(final String... props)
    {
        final Map<String, String> m = new HashMap<>();
        // Off unless a test sets it: the tests' own pauses (a loaded host) must not count as a subscriber's delay.
        m.put(RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, "0s");
        for (int i = 0; i < props.length; i += 2)
        {
            m.put(props[i], props[i + 1]);
        }
        relay = new Relay(RelayConfiguration.from(m), 1);
    }

    static Harness small()
    {
        return new Harness(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.RING_SIZE_PROP_NAME, "4096");
    }

    Session session(final String name)
    {
        return relay.openSession(name, 0);
    }

    int poll()
    {
        int total = 0;
        int n;
        while ((n = relay.egressLoop(0).poll()) > 0)
        {
            total += n;
        }
        return total;
    }

    static byte[] payload(final long group, final long object, final int size)
    {
        final byte[] b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte)(group * 31 + object * 7 + i);
        }
        return b;
    }

    boolean send(final TrackIngest ingest, final long group, final long subgroup, final long object, final int size)
    {
        final byte[] p = payload(group, object, size);
        scratch.putBytes(0, p);
        return ingest.object(0, group, subgroup, object, 128, 0, null, 0, 0, scratch, 0, size);
    }

    /** Sends test objects from another thread (its own scratch buffer). */
    static final class Sender
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 16]);

        boolean send(final TrackIngest ingest, final long group, final long subgroup, final long object, final int size)
        {
            scratch.putBytes(0, payload(group, object, size));
            return ingest.object(0, group, subgroup, object, 128, 0, null, 0, 0, scratch, 0, size);
        }
    }

    /** A publisher session that announced {@code ns}. */
    Session announce(final FakePublisher publisher, final String... ns)
    {
        final Session s = session("pub-" + String.join("/", ns));
        final Callbacks.Req req = new Callbacks.Req();
        s.publishNamespace(1, TrackNamespace.of(ns), publisher, req);
        if (!req.okCalled)
        {
            throw new IllegalStateException("announce failed: " + req.error);
        }
        return s;
    }

    @Override
    public void close()
    {
        relay.close();
    }
}
