package moq.relay.bench.load;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * Participants that come and go throughout the soak: every {@code interval} one joins (connects, announces a
 * namespace of its own, subscribes to one steady participant's tracks), stays {@code lifetime}, and leaves (closes
 * its session with NO_ERROR). A churn session counts as closed cleanly when it connected, its announce and
 * subscriptions were accepted, it received objects, the relay never closed it, and its own close completed as a
 * local NO_ERROR close.
 */
final class SoakChurn implements AutoCloseable
{
    private final ClientConfig config;
    private final EventLoopGroup group;
    private final List<List<TrackKey>> participants;
    private final long intervalNanos;
    private final long lifetimeNanos;
    private final Duration timeout;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Member> members = new ConcurrentLinkedQueue<>();
    /** Leaving blocks (the close handshake): off the joiner thread, so that joins keep their pace. */
    private final ExecutorService leaving = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "soak-churn-leave");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    final AtomicLong opened = new AtomicLong();
    final AtomicLong closedCleanly = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicInteger live = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /** One churn participant while it is in the call. */
    private static final class Member implements SubscriptionListener
    {
        final long id;
        final long leaveAt;
        final AtomicLong objects = new AtomicLong();
        volatile SessionClose closedByRelay;
        volatile MoqClient client;
        volatile Throwable joinFailure;
        volatile boolean joined;

        Member(final long id, final long leaveAt)
        {
            this.id = id;
            this.leaveAt = leaveAt;
        }

        @Override
        public void onObject(final ReceivedObject object)
        {
            objects.incrementAndGet();
        }

        @Override
        public void onSessionClosed(final SessionClose close)
        {
            if (!close.local())
            {
                closedByRelay = close;
            }
        }
    }

    /** @param participants the steady participants' tracks, one list per participant; each joiner takes one. */
    SoakChurn(final InetSocketAddress server, final Draft draft, final EventLoopGroup group,
        final List<List<TrackKey>> participants, final Duration interval, final Duration lifetime,
        final Duration timeout)
    {
        this.config = ClientConfig.of(server.getHostString(), server.getPort(), draft, ClientTrust.insecure())
            .withTimeouts(timeout, Duration.ofSeconds(60));
        this.group = group;
        this.participants = participants;
        this.intervalNanos = interval.toNanos();
        this.lifetimeNanos = lifetime.toNanos();
        this.timeout = timeout;
        this.thread = new Thread(this::loop, "soak-churn");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    private void loop()
    {
        long next = System.nanoTime();
        long id = 0;
        while (running)
        {
            final long now = System.nanoTime();
            if (now - next >= 0)
            {
                join(id++, now);
                next += intervalNanos;
            }
            for (final Member m : members)
            {
                if (now - m.leaveAt >= 0 && (m.joined || m.joinFailure != null))
                {
                    members.remove(m);
                    leaving.execute(() -> leave(m, false));
                }
            }
            sleepMillis(50);
        }
    }

    private void join(final long id, final long now)
    {
        final Member m = new Member(id, now + lifetimeNanos);
        members.add(m);
        opened.incrementAndGet();
        live.incrementAndGet();
        final List<TrackKey> tracks = participants.get((int)(id % participants.size()));
        MoqClient.connect(config, group).thenCompose(c ->
        {
            m.client = c;
            final List<CompletableFuture<?>> steps = new ArrayList<>();
            steps.add(c.publishNamespace(TrackNamespace.of("bench", "churn" + id)));
            for (final TrackKey t : tracks)
            {
                steps.add(c.subscribe(t.namespace(), t.trackName(), SubscribeOptions.LATEST, m));
            }
            return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
        }).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, x) ->
        {
            if (x != null)
            {
                m.joinFailure = x;
            }
            else
            {
                m.joined = true;
            }
        });
    }

    /** @param early the run is ending: a member that joined moments ago may not have had an object yet. */
    private void leave(final Member m, final boolean early)
    {
        String problem = null;
        if (!m.joined && m.joinFailure == null)
        {
            problem = "still joining when it had to leave";
        }
        else if (m.joinFailure != null)
        {
            problem = "join failed: " + m.joinFailure;
        }
        else if (m.closedByRelay != null)
        {
            problem = "relay closed the session: " + m.closedByRelay;
        }
        else if (m.objects.get() == 0 && !early)
        {
            problem = "no objects received";
        }
        final MoqClient c = m.client;
        if (c != null)
        {
            c.close();
            try
            {
                final SessionClose close = c.closed().get(5, TimeUnit.SECONDS);
                if (problem == null && (!close.local() || close.code() != 0))
                {
                    problem = "close ended as " + close;
                }
            }
            catch (final Exception e)
            {
                if (problem == null)
                {
                    problem = "close did not complete: " + e;
                }
            }
        }
        live.decrementAndGet();
        if (problem == null)
        {
            closedCleanly.incrementAndGet();
        }
        else
        {
            failed.incrementAndGet();
            if (failures.size() < 20)
            {
                failures.add("churn" + m.id + ": " + problem);
            }
        }
    }

    private static void sleepMillis(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops joining, waits for the joiner thread, and makes every member still in the call leave now. */
    @Override
    public void close()
    {
        running = false;
        try
        {
            thread.join(10_000);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (final Member m : new ArrayList<>(members))
        {
            while (!m.joined && m.joinFailure == null && System.nanoTime() < deadline)
            {
                sleepMillis(20);
            }
            members.remove(m);
            leaving.execute(() -> leave(m, true));
        }
        leaving.shutdown();
        try
        {
            leaving.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
