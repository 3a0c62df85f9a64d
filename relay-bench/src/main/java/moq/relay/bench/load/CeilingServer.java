package moq.relay.bench.load;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * The ceiling: a plain Netty QUIC sender with no relay logic, on the same QUIC server foundation and settings as
 * the relay ({@link RelayServer}: epoll, GSO, the {@code moq.relay.quic.*} properties). It generates the workload's
 * tracks itself and pushes every object straight to each subscriber ({@link GeneratedTrack}), so what the relay costs
 * above it (ingest, engine, fan-out) shows as a ratio. Generation runs on the server's first event loop, at each
 * track's rate, or at rate 0 as fast as every subscriber's stream stays writable.
 */
public final class CeilingServer implements AutoCloseable
{
    /** Objects one unpaced track generates per pass before letting the loop do I/O. */
    private static final int PUMP_BATCH = 16;

    private final RelayServer server;
    private final EventLoop loop;
    private final Map<String, GeneratedTrack> tracks = new LinkedHashMap<>();
    private final List<ScheduledFuture<?>> tickers = new ArrayList<>();
    private volatile boolean stopped;

    public CeilingServer(final ServerSettings settings, final QuicSettings quic, final ServerCertificate certificate,
        final Workload workload)
    {
        final ServerSettings moqOnly = new ServerSettings(settings.bindAddress(), settings.port(),
            settings.eventLoops(), settings.epoll(), List.of(Draft.DRAFT_18.alpn(), Draft.DRAFT_14.alpn()),
            settings.drainTimeout());
        server = new RelayServer(moqOnly, quic, certificate, SessionFactories.builder()
            .register(SessionFactories.MOQT_18, c -> open(c, Draft.DRAFT_18))
            .register(SessionFactories.MOQ_00, c -> open(c, Draft.DRAFT_14))
            .build()).start();
        loop = server.eventLoops().get(0);
        long alias = 0;
        for (final TrackKey key : workload.allTracks())
        {
            tracks.put(CeilingSession.trackId(key.namespace(), key.trackName()),
                new GeneratedTrack(key, alias++, loop, PooledByteBufAllocator.DEFAULT));
        }
    }

    private CeilingSession open(final QuicChannel connection, final Draft draft)
    {
        final CeilingSession session = new CeilingSession(connection, draft, this);
        connection.pipeline().addLast(session);
        return session;
    }

    public InetSocketAddress address()
    {
        return server.localAddress();
    }

    GeneratedTrack track(final TrackNamespace namespace, final Bytes name)
    {
        return tracks.get(CeilingSession.trackId(namespace, name));
    }

    void subscribed(final GeneratedTrack track, final QuicChannel connection, final Draft draft)
    {
        loop.execute(() -> track.add(new GeneratedTrack.Subscriber(connection, draft)));
    }

    void disconnected(final QuicChannel connection)
    {
        loop.execute(() -> tracks.values().forEach(t -> t.removeConnection(connection)));
    }

    /** Starts generating every track. */
    public void startObjects()
    {
        loop.execute(() ->
        {
            final List<GeneratedTrack> unpaced = new ArrayList<>();
            for (final GeneratedTrack t : tracks.values())
            {
                final double rate = t.key.spec().rate();
                if (rate > 0)
                {
                    tickers.add(loop.scheduleAtFixedRate(t::sendNext, 0, (long)(1e9 / rate), TimeUnit.NANOSECONDS));
                }
                else
                {
                    unpaced.add(t);
                }
            }
            if (!unpaced.isEmpty())
            {
                pump(unpaced);
            }
        });
    }

    private void pump(final List<GeneratedTrack> unpaced)
    {
        if (stopped)
        {
            return;
        }
        boolean sent = false;
        for (final GeneratedTrack t : unpaced)
        {
            for (int i = 0; i < PUMP_BATCH && t.writable(); i++)
            {
                t.sendNext();
                sent = true;
            }
        }
        if (sent)
        {
            loop.execute(() -> pump(unpaced));
        }
        else
        {
            loop.schedule(() -> pump(unpaced), 100, TimeUnit.MICROSECONDS);
        }
    }

    /** Stops generating, ends every open group; returns objects generated per track, by {@link TrackKey#label()}. */
    public Map<String, Long> stopObjects()
    {
        final CompletableFuture<Map<String, Long>> result = new CompletableFuture<>();
        loop.execute(() ->
        {
            stopped = true;
            tickers.forEach(f -> f.cancel(false));
            final Map<String, Long> counts = new LinkedHashMap<>();
            for (final GeneratedTrack t : tracks.values())
            {
                t.finish();
                counts.put(t.key.label(), t.published());
            }
            result.complete(counts);
        });
        return result.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close()
    {
        server.close();
    }
}
