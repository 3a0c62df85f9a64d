package moq.relay.session.lite;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionPathStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.concurrent.TimeUnit;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.Probe;

/**
 * A Probe Stream a moq-lite subscriber opened (with its type alone, as {@code @moq/net} does): the relay reports
 * what the QUIC connection measures, every {@value #INTERVAL_MS} ms when it changed (at least every
 * {@value #MAX_AGE_MS} ms): PROBE with the delivery rate in bits per second and, on lite-04+, the smoothed RTT in
 * whole milliseconds, rounded up (a sub-millisecond loopback RTT is 1, as 0 means unknown). The subscriber's target
 * PROBEs are read and ignored (the relay does not pad). lite-03's PROBE has no RTT field; the relay sends none there
 * (a bitrate estimate alone is not what the libraries probe for). On WebTransport the stats are the underlying QUIC
 * connection's, shared by its sessions. Ends with the stream.
 */
final class LiteProbe implements LiteMessageSink
{
    static final long INTERVAL_MS = 200;
    static final long MAX_AGE_MS = 2_000;

    private final LiteSession session;
    private final QuicStreamChannel stream;
    private io.netty.util.concurrent.ScheduledFuture<?> timer;
    private long lastRtt = -1;
    private long lastBitrate = -1;
    private long lastSentNanos;

    LiteProbe(final LiteSession session, final QuicStreamChannel stream)
    {
        this.session = session;
        this.stream = stream;
    }

    void install()
    {
        stream.pipeline().addLast(session.reader(stream, LiteStreamSide.PROBE, this, this::stop));
        if (session.version.probeRtt())
        {
            timer = stream.eventLoop().scheduleAtFixedRate(this::report, 0, INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void report()
    {
        if (!stream.isActive() || !(stream.parent() instanceof QuicChannel))
        {
            stop();
            return;
        }
        ((QuicChannel)stream.parent()).collectPathStats(0).addListener(f ->
        {
            if (f.isSuccess() && stream.isActive())
            {
                send((QuicConnectionPathStats)f.getNow());
            }
        });
    }

    private void send(final QuicConnectionPathStats stats)
    {
        final long rttMs = rttMillis(stats.rtt());
        final long bitrate = Math.max(0, stats.deliveryRate()) * 8;
        final long now = System.nanoTime();
        if (rttMs == lastRtt && bitrate == lastBitrate && now - lastSentNanos < TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MS))
        {
            return;
        }
        lastRtt = rttMs;
        lastBitrate = bitrate;
        lastSentNanos = now;
        session.send(stream, new Probe(bitrate, rttMs));
    }

    /** quiche reports the smoothed RTT in nanoseconds: whole milliseconds, rounded up (0 stays unknown). */
    static long rttMillis(final long rttNanos)
    {
        return rttNanos <= 0 ? 0 : (rttNanos + 999_999) / 1_000_000;
    }

    @Override
    public void onMessage(final LiteMessage message)
    {
        // A target bitrate: the relay does not pad.
    }

    @Override
    public void onEnd()
    {
        stop();
        stream.shutdownOutput();
    }

    private void stop()
    {
        if (timer != null)
        {
            timer.cancel(false);
            timer = null;
        }
    }
}
