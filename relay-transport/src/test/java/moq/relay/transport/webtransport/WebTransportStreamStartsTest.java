package moq.relay.transport.webtransport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream-starts-per-turn bound of a WebTransport session ({@code moq.relay.session.stream.starts.per.turn}), on a
 * real server with a real WebTransport client over QUIC. A burst that reaches a session in one turn of the server's
 * event loop: two sessions of one connection each get 100 unidirectional streams that all arrive before the session's
 * CONNECT (draft-16 4.6 lets the server hold them), so accepting the CONNECT hands the whole burst over at once. The
 * application sees each stream when its session starts it; a task the test reschedules on the server's loop counts the
 * loop's turns. With the bound every stream of both bursts arrives intact and no session starts more than a slice of
 * its streams between two turns; without it (the relay before) each session starts its whole burst in one turn.
 */
class WebTransportStreamStartsTest
{
    private static final int PER_TURN = 4;
    private static final int BURST = 100;

    @TempDir
    Path certDir;

    private RelayServer server;
    private WebTransportTestClient client;
    private volatile EventLoop serverLoop;
    private volatile boolean ticking = true;
    /** Turns of the server's event loop so far (written on that loop only). */
    private volatile long turn;
    /** Per session: the turn in which each of its streams started, in start order. */
    private final Map<Long, List<Long>> startTurns = new ConcurrentHashMap<>();
    /** Per session: the payloads of its streams, at FIN. */
    private final Map<Long, Set<String>> payloads = new ConcurrentHashMap<>();
    private final List<Http3WebTransportSession> sessions = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop()
    {
        ticking = false;
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void eachSessionOfAConnectionStartsABurstASliceAtATimeAndEveryStreamArrives() throws Exception
    {
        final Run run = burst(PER_TURN);
        for (final long id : run.sessionIds)
        {
            final List<Long> turns = startTurns.get(id);
            assertThat(largestSlice(turns)).as("streams session %s started within one turn of the loop (%s)", id,
                turns).isLessThanOrEqualTo(2 * PER_TURN);
        }
        for (final Http3WebTransportSession session : sessions.subList(1, 3))
        {
            assertThat(session.streamStarts().deferred()).as("streams of %s that waited for a later turn", session)
                .isGreaterThan(BURST / 2);
        }
    }

    @Test
    void withoutTheBoundASessionStartsItsBurstInOneGo() throws Exception
    {
        final Run run = burst(0);
        final long largest = run.sessionIds.stream().mapToLong(id -> largestSlice(startTurns.get(id))).max()
            .orElseThrow();
        assertThat(largest).as("the control: without the bound the whole burst starts in one turn")
            .isEqualTo(BURST);
    }

    private Run burst(final int perTurn) throws Exception
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        final WebTransportSettings settings = new WebTransportSettings("/moq", List.of("*"), List.of("moqt-18"), 4,
            2 * BURST, 16, 65536, 64, perTurn);
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), certificate,
            SessionFactories.builder().register(SessionFactories.H3,
                new WebTransportSessionFactory(settings, this::opened)).build());
        client = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        // A first session, to reach the server side of the connection.
        assertThat(client.connect("/moq", null, "\"moqt-18\"").status()).isEqualTo("200");
        awaitSessions(1);
        final WebTransportConnection connection = WebTransportConnection.of(sessions.get(0).quicChannel());

        // Two more sessions whose streams all arrive before their CONNECT (draft-16 4.6): the server holds them and
        // hands them over when the CONNECT is accepted, a whole burst in one turn of its loop.
        final List<WebTransportTestClient.Session> bursting = List.of(client.newSessionStream(),
            client.newSessionStream());
        final List<Long> ids = bursting.stream().map(WebTransportTestClient.Session::id).toList();
        client.quic.eventLoop().submit(() ->
        {
            for (int i = 0; i < BURST; i++)
            {
                for (final long id : ids)
                {
                    client.quic.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                        .addListener(f ->
                        {
                            final QuicStreamChannel s = (QuicStreamChannel)f.getNow();
                            final ByteBuf bytes = WebTransportTestClient.header(0x54, id);
                            bytes.writeCharSequence("s" + s.streamId(), StandardCharsets.UTF_8);
                            s.writeAndFlush(bytes).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                        });
                }
            }
        }).get(5, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (serverLoop.submit(connection::bufferedStreamCount).get(5, TimeUnit.SECONDS) < 2 * BURST &&
            System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(serverLoop.submit(connection::bufferedStreamCount).get(5, TimeUnit.SECONDS))
            .as("streams held for their sessions' CONNECT").isEqualTo(2 * BURST);

        serverLoop.execute(this::tick);
        for (final WebTransportTestClient.Session session : bursting)
        {
            client.sendConnect(session, "/moq", null, "\"moqt-18\"");
        }
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ids.stream().allMatch(id -> payloads.getOrDefault(id, Set.of()).size() == BURST) &&
            System.nanoTime() < until)
        {
            Thread.sleep(10);
        }
        for (final long id : ids)
        {
            assertThat(payloads.getOrDefault(id, Set.of())).as("streams of session %s that arrived whole", id)
                .hasSize(BURST).allMatch(p -> p.startsWith("s"));
            assertThat(startTurns.get(id)).hasSize(BURST);
        }
        return new Run(ids);
    }

    private void awaitSessions(final int n) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sessions.size() < n && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(sessions).hasSize(n);
    }

    private record Run(List<Long> sessionIds)
    {
    }

    /** Once per turn of the server's event loop: netty runs a task scheduled without delay once per iteration. */
    private void tick()
    {
        turn++;
        if (ticking)
        {
            serverLoop.schedule(this::tick, 0, TimeUnit.NANOSECONDS);
        }
    }

    /** The most streams started in one turn. */
    private static long largestSlice(final List<Long> turns)
    {
        final Map<Long, Integer> perTurn = new java.util.HashMap<>();
        turns.forEach(t -> perTurn.merge(t, 1, Integer::sum));
        return perTurn.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private MoqTransport.Listener opened(final WebTransportSession session)
    {
        serverLoop = session.eventLoop();
        sessions.add((Http3WebTransportSession)session);
        final long id = session.sessionId();
        final List<Long> turns = new CopyOnWriteArrayList<>();
        final Set<String> received = ConcurrentHashMap.newKeySet();
        startTurns.put(id, turns);
        payloads.put(id, received);
        return new MoqTransport.Listener()
        {
            @Override
            public void streamOpened(final QuicStreamChannel stream)
            {
                turns.add(turn);
                stream.pipeline().addLast(new EchoApplication.WholeStream(received::add));
            }

            @Override
            public void datagramReceived(final ByteBuf payload)
            {
                payload.release();
            }

            @Override
            public void drainRequested()
            {
            }

            @Override
            public void closed(final long applicationErrorCode, final String reason)
            {
            }
        };
    }
}
