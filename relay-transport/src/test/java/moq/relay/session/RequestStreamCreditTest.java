package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.FetchOk;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.d18.SubscriptionFilter;
import moq.relay.wire.d18.TrackStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draft-18 gives every request its own bidirectional stream, so QUIC's stream credit (MAX_STREAMS) is the request
 * budget: the relay grants {@code moq.relay.quic.initial.max.streams.bidi} streams and must return the credit of every
 * request that ended, which QUIC does only once both directions of the stream are closed. With a grant of 20, one
 * raw draft-18 client runs three times that many requests of one kind, each ended the way draft-18 ends it, and must
 * never wait for credit: SUBSCRIBE cancelled by the client (FIN, RESET_STREAM, RESET_STREAM + STOP_SENDING),
 * SUBSCRIBE refused with REQUEST_ERROR, SUBSCRIBE ended by PUBLISH_DONE, TRACK_STATUS answered, FETCH completed.
 */
class RequestStreamCreditTest
{
    private static final int CREDIT = 20;
    private static final int CYCLES = 3 * CREDIT;
    private static final long CANCELLED = 0x1;

    @TempDir
    static Path certDir;

    private RelayFixture relay;
    private MoqClient publisher;
    private TrackPublisher track;
    private QuicTestClient client;
    private QuicTestClient.Connection c;
    private long nextRequestId;

    @BeforeEach
    void start() throws Exception
    {
        final String property = RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_BIDI_PROP_NAME;
        final String before = System.getProperty(property);
        System.setProperty(property, Integer.toString(CREDIT)); // the QUIC server reads its settings from here
        try
        {
            relay = new RelayFixture(certDir, Map.of(property, Integer.toString(CREDIT)));
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(property);
            }
            else
            {
                System.setProperty(property, before);
            }
        }
        publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
        final RelayEndToEndTest.Received live = new RelayEndToEndTest.Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(2, 3, 1), 0);
        RelayFixture.await(() -> live.normalObjects() == 6, "the cached groups");

        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18");
        c = client.connect(relay.server.localAddress());
        c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
            .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
    }

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        relay.close();
    }

    @Test
    void subscribeCancelledWithFin() throws Exception
    {
        cycles(() ->
        {
            final Request r = subscribe(NS, TRACK);
            assertThat(r.next()).isInstanceOf(SubscribeOk.class);
            r.stream.shutdownOutput().sync();
            r.awaitRelayDone();
        });
    }

    @Test
    void subscribeCancelledWithFinRightAfterTheRequest() throws Exception
    {
        cycles(() ->
        {
            final Request r = request(subscribeMessage(NS, TRACK));
            r.stream.shutdownOutput().sync();
            r.awaitRelayDone();
        });
    }

    /** As a churning client does it: no waiting for answers, only for stream credit. */
    @Test
    void subscribeCancelledWithFinWithoutWaiting() throws Exception
    {
        cycles(() -> request(subscribeMessage(NS, TRACK)).stream.shutdownOutput());
    }

    @Test
    void subscribeCancelledWithResetStream() throws Exception
    {
        cycles(() ->
        {
            final Request r = subscribe(NS, TRACK);
            assertThat(r.next()).isInstanceOf(SubscribeOk.class);
            r.stream.shutdownOutput((int)CANCELLED).sync();
            r.awaitRelayDone();
        });
    }

    @Test
    void subscribeCancelledWithResetStreamAndStopSending() throws Exception
    {
        cycles(() ->
        {
            final Request r = subscribe(NS, TRACK);
            assertThat(r.next()).isInstanceOf(SubscribeOk.class);
            // Draft-18 §"Request Cancellation": abruptly terminate both directions.
            r.stream.shutdown((int)CANCELLED).sync();
        });
    }

    @Test
    void subscribeRefusedWithRequestError() throws Exception
    {
        cycles(() ->
        {
            final Request r = subscribe(TrackNamespace.of("nobody", "here"), TRACK);
            assertThat(r.next()).isInstanceOf(RequestError.class);
            r.awaitRelayDone();
            r.stream.shutdownOutput().sync();
        });
    }

    @Test
    void subscribeEndedByPublishDone() throws Exception
    {
        final int[] n = {0};
        cycles(() ->
        {
            final Bytes name = Bytes.utf8("ending" + n[0]++);
            final TrackPublisher ending = publisher.track(NS, name, 100);
            final Request r = subscribe(NS, name);
            assertThat(r.next()).isInstanceOf(SubscribeOk.class);
            ending.finish(0x2, "track ended");
            assertThat(r.next()).isInstanceOf(PublishDone.class);
            r.awaitRelayDone();
            r.stream.shutdownOutput().sync();
        });
    }

    @Test
    void trackStatusAnswered() throws Exception
    {
        cycles(() ->
        {
            final Request r = request(new TrackStatus(nextRequestId, NS, TRACK, MessageParameters.EMPTY));
            assertThat(r.next()).isInstanceOf(RequestOk.class);
            r.awaitRelayDone();
            r.stream.shutdownOutput().sync();
        });
    }

    @Test
    void fetchCompleted() throws Exception
    {
        cycles(() ->
        {
            final Request r = request(Fetch.standalone(nextRequestId, NS, TRACK, new Location(0, 0),
                new Location(1, 0), MessageParameters.EMPTY));
            assertThat(r.next()).isInstanceOf(FetchOk.class);
            r.awaitRelayDone(); // the relay FINs the request stream once the fetch's data stream is done
            r.stream.shutdownOutput().sync();
        });
    }

    // ---- the draft-18 MoqClient as the requester: it must close its side of every ended request too

    @Test
    void clientSubscribeThenUnsubscribe() throws Exception
    {
        final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
        for (int i = 0; i < CYCLES; i++)
        {
            within(subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, o -> { }), i).unsubscribe();
        }
    }

    @Test
    void clientSubscribeRefused() throws Exception
    {
        final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
        for (int i = 0; i < CYCLES; i++)
        {
            final var refused = subscriber.subscribe(TrackNamespace.of("nobody", "here"), TRACK,
                SubscribeOptions.LATEST, o -> { });
            final int n = i;
            final Throwable cause = org.assertj.core.api.Assertions.catchThrowable(() -> within(refused, n));
            assertThat(cause).isInstanceOf(java.util.concurrent.ExecutionException.class)
                .hasCauseInstanceOf(moq.relay.client.RequestRejectedException.class);
        }
    }

    @Test
    void clientSubscribeEndedByPublishDone() throws Exception
    {
        final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
        for (int i = 0; i < CYCLES; i++)
        {
            final TrackPublisher ending = publisher.track(NS, Bytes.utf8("ending" + i), 100);
            final moq.relay.client.Subscription sub = within(subscriber.subscribe(NS, ending.name(),
                SubscribeOptions.LATEST, o -> { }), i);
            ending.finish(0x2, "track ended");
            within(sub.ended(), i);
        }
    }

    @Test
    void clientFetchCompleted() throws Exception
    {
        final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
        for (int i = 0; i < CYCLES; i++)
        {
            final CompletableFuture<Void> complete = new CompletableFuture<>();
            within(subscriber.fetch(NS, TRACK, new Location(0, 0), new Location(1, 0),
                new moq.relay.client.FetchListener()
            {
                @Override
                public void onObject(final moq.relay.client.ReceivedObject object)
                {
                }

                @Override
                public void onComplete()
                {
                    complete.complete(null);
                }
            }), i);
            within(complete, i);
        }
    }

    // ---- the relay as the requester upstream: its SUBSCRIBEs to a publisher use the publisher's stream credit

    /**
     * A raw draft-18 publisher granting the relay 10 bidi streams (QuicTestClient's grant) refuses every SUBSCRIBE
     * with REQUEST_ERROR and FIN; three times that many subscriptions through the relay must all reach it.
     */
    @Test
    void relaySubscribeUpstreamRefused() throws Exception
    {
        final int publisherGrant = 10;
        final TrackNamespace upstream = TrackNamespace.of("raw", "publisher");
        final QuicTestClient.Connection pub = client.connect(relay.server.localAddress(), true,
            new io.netty.channel.ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel ch)
                {
                    if (ch.type() != QuicStreamType.BIDIRECTIONAL)
                    {
                        return;
                    }
                    ch.pipeline().addLast(new ControlMessageReader(Draft18ControlCodec.INSTANCE,
                        new ControlMessageReader.Sink()
                        {
                            @Override
                            public void onMessage(final ControlMessage m)
                            {
                                ch.writeAndFlush(ControlBytes.draft18(RequestError.of(
                                    moq.relay.wire.d18.RequestErrorCode.DOES_NOT_EXIST, 0, Bytes.utf8("no track"))))
                                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                            }

                            @Override
                            public void onEnd()
                            {
                            }
                        }, e -> ch.close()));
                }
            });
        pub.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
            .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
        final CompletableFuture<Void> published = new CompletableFuture<>();
        pub.channel().createStream(QuicStreamType.BIDIRECTIONAL, new ControlMessageReader(
            Draft18ControlCodec.INSTANCE, new ControlMessageReader.Sink()
            {
                @Override
                public void onMessage(final ControlMessage m)
                {
                    published.complete(null);
                }

                @Override
                public void onEnd()
                {
                }
            }, e -> { })).get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(
                new moq.relay.wire.d18.PublishNamespace(0, upstream, MessageParameters.EMPTY)));
        published.get(5, TimeUnit.SECONDS);

        final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
        for (int i = 0; i < 3 * publisherGrant; i++)
        {
            final var refused = subscriber.subscribe(upstream, Bytes.utf8("t" + i), SubscribeOptions.LATEST, o -> { });
            final int n = i;
            final Throwable cause = org.assertj.core.api.Assertions.catchThrowable(() -> within(refused, n));
            assertThat(cause).as("SUBSCRIBE %d", i).isInstanceOf(java.util.concurrent.ExecutionException.class);
            assertThat(((moq.relay.client.RequestRejectedException)cause.getCause()).errorCode())
                .as("SUBSCRIBE %d refused by the publisher, not by the relay", i)
                .isEqualTo(moq.relay.wire.d18.RequestErrorCode.DOES_NOT_EXIST);
        }
        assertThat(pub.peerClose()).isNotDone();
    }

    // ---- helpers

    /** The future's value; a request not answered in time means the client waits for stream credit. */
    private static <T> T within(final CompletableFuture<T> f, final int cycle) throws Exception
    {
        try
        {
            return f.get(5, TimeUnit.SECONDS);
        }
        catch (final java.util.concurrent.TimeoutException e)
        {
            throw new AssertionError("request " + cycle + " not answered in 5 s: no stream credit left, the " +
                "ended requests' streams were not closed on both sides", e);
        }
    }

    private interface Cycle
    {
        void run() throws Exception;
    }

    /** Runs {@link #CYCLES} requests, each after the relay granted the stream it needs, and checks the session. */
    private void cycles(final Cycle cycle) throws Exception
    {
        assertThat(allowedStreams()).as("the relay's grant").isEqualTo(CREDIT);
        for (int i = 0; i < CYCLES; i++)
        {
            awaitCredit(i);
            cycle.run();
            nextRequestId += 2;
        }
        assertThat(c.peerClose()).as("the session stays open").isNotDone();
    }

    private void awaitCredit(final int cycle) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (allowedStreams() == 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no bidirectional stream credit from the relay after " + cycle +
                    " ended requests (granted " + CREDIT + "): it did not close its side of ended request streams");
            }
            Thread.sleep(5);
        }
    }

    private long allowedStreams() throws Exception
    {
        return c.channel().eventLoop().submit(() -> c.channel().peerAllowedStreams(QuicStreamType.BIDIRECTIONAL))
            .get(5, TimeUnit.SECONDS);
    }

    private Subscribe subscribeMessage(final TrackNamespace ns, final Bytes name)
    {
        return new Subscribe(nextRequestId, ns, name,
            MessageParameters.of(new Parameter.Filter(SubscriptionFilter.largestObject())));
    }

    private Request subscribe(final TrackNamespace ns, final Bytes name) throws Exception
    {
        return request(subscribeMessage(ns, name));
    }

    private Request request(final ControlMessage m) throws Exception
    {
        final Request r = new Request();
        r.stream = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, new ControlMessageReader(
            Draft18ControlCodec.INSTANCE, r, e -> r.messages.add(RequestError.of(0, 0, Bytes.utf8(e.toString())))))
            .get(5, TimeUnit.SECONDS);
        r.stream.writeAndFlush(ControlBytes.draft18(m)).sync();
        return r;
    }

    /** One request stream of the client: what the relay answered on it and whether the relay closed its side. */
    private static final class Request implements ControlMessageReader.Sink
    {
        final BlockingQueue<ControlMessage> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> relayDone = new CompletableFuture<>();
        QuicStreamChannel stream;

        @Override
        public void onMessage(final ControlMessage message)
        {
            messages.add(message);
        }

        @Override
        public void onEnd()
        {
            relayDone.complete(null);
        }

        ControlMessage next() throws InterruptedException
        {
            final ControlMessage m = messages.poll(5, TimeUnit.SECONDS);
            assertThat(m).as("a message from the relay").isNotNull();
            return m;
        }

        void awaitRelayDone() throws Exception
        {
            relayDone.get(5, TimeUnit.SECONDS);
        }
    }
}
