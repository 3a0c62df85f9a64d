package moq.relay.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user-space netem: a UDP proxy on loopback between QUIC clients and the relay that delays every datagram (both
 * directions) by {@code delay ± jitter} (uniform, as netem's default), drops {@link Netem#lossPercent()} of them at
 * random, and sends {@link Netem#reorderPercent()} of them at once (ahead of the delayed ones), which is what netem's
 * {@code reorder} does. The jitter reorders too, as netem's does.
 *
 * <p>For hosts whose kernel has no {@code sch_netem} (the CI and development VMs here: no modules, netem not built
 * in). Each client address gets its own upstream socket, so the relay still sees one 4-tuple per client. One thread,
 * one selector; datagrams are copied once into pooled buffers.
 */
final class LossyLink implements AutoCloseable
{
    private static final int MAX_DATAGRAM = 65_535;
    private static final int POOLED_SIZE = 2048;

    /** The impairment, in netem's terms. */
    record Netem(double delayMillis, double jitterMillis, double lossPercent, double reorderPercent)
    {
        /** Parses netem's own syntax, e.g. {@code delay 10ms 3ms loss 2% reorder 5% 50%} (correlations ignored). */
        static Netem parse(final String spec)
        {
            double delay = 0;
            double jitter = 0;
            double loss = 0;
            double reorder = 0;
            final String[] w = spec.trim().split("\\s+");
            for (int i = 0; i < w.length; i++)
            {
                switch (w[i])
                {
                    case "delay":
                        delay = millis(w[++i]);
                        if (i + 1 < w.length && w[i + 1].endsWith("ms"))
                        {
                            jitter = millis(w[++i]);
                        }
                        break;
                    case "loss":
                        loss = percent(w[++i]);
                        break;
                    case "reorder":
                        reorder = percent(w[++i]);
                        break;
                    default:
                        // A correlation ("50%") or "random": netem's, not modelled here.
                        if (!w[i].endsWith("%") && !"random".equals(w[i]) && !w[i].isEmpty())
                        {
                            throw new IllegalArgumentException("unsupported netem word '" + w[i] + "' in '" + spec +
                                "' (delay D [J], loss P%, reorder P%)");
                        }
                }
            }
            return new Netem(delay, jitter, loss, reorder);
        }

        private static double millis(final String s)
        {
            if (s.endsWith("ms"))
            {
                return Double.parseDouble(s.substring(0, s.length() - 2));
            }
            if (s.endsWith("us"))
            {
                return Double.parseDouble(s.substring(0, s.length() - 2)) / 1000;
            }
            throw new IllegalArgumentException("want a time like 10ms, got " + s);
        }

        private static double percent(final String s)
        {
            return Double.parseDouble(s.endsWith("%") ? s.substring(0, s.length() - 1) : s);
        }

        @Override
        public String toString()
        {
            return String.format(java.util.Locale.ROOT, "delay %.1fms %.1fms loss %.1f%% reorder %.1f%%", delayMillis,
                jitterMillis, lossPercent, reorderPercent);
        }
    }

    /** A datagram waiting for its departure time. */
    private record Pending(long due, long order, ByteBuffer data, DatagramChannel out, SocketAddress to)
    {
    }

    /** One client's path: its address, the upstream socket the relay sees it as, when it last carried a datagram. */
    private static final class Flow
    {
        final SocketAddress client;
        final DatagramChannel upstream;
        long lastActive = System.nanoTime();

        Flow(final SocketAddress client, final DatagramChannel upstream)
        {
            this.client = client;
            this.upstream = upstream;
        }
    }

    /** A flow quiet this long is closed (churned sessions would otherwise hold a socket each for the whole soak). */
    private static final long IDLE_FLOW_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Netem netem;
    private final InetSocketAddress relay;
    private final Selector selector;
    private final DatagramChannel front;
    private final Map<SocketAddress, Flow> flows = new HashMap<>();
    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.due != b.due
        ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final SplittableRandom random;
    private final Thread thread;
    private volatile boolean running = true;
    private long order;

    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong sendFailures = new AtomicLong();

    LossyLink(final InetSocketAddress relay, final Netem netem, final long seed)
    {
        this.relay = relay;
        this.netem = netem;
        this.random = new SplittableRandom(seed);
        try
        {
            selector = Selector.open();
            front = DatagramChannel.open();
            front.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            front.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            front.bind(new InetSocketAddress(relay.getAddress(), 0));
            front.configureBlocking(false);
            front.register(selector, SelectionKey.OP_READ, null);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, "lossy-link");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where clients connect instead of the relay. */
    InetSocketAddress address()
    {
        try
        {
            return (InetSocketAddress)front.getLocalAddress();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    Netem netem()
    {
        return netem;
    }

    private void loop()
    {
        try
        {
            long nextSweep = System.nanoTime() + IDLE_FLOW_NANOS;
            while (running)
            {
                final long now = System.nanoTime();
                sendDue(now);
                if (now - nextSweep > 0)
                {
                    closeIdleFlows(now);
                    nextSweep = now + IDLE_FLOW_NANOS / 4;
                }
                final Pending next = queue.peek();
                final long waitMillis = next == null ? 100 : TimeUnit.NANOSECONDS.toMillis(next.due - now);
                if (waitMillis <= 0)
                {
                    selector.selectNow();
                }
                else
                {
                    selector.select(waitMillis);
                }
                for (final SelectionKey key : selector.selectedKeys())
                {
                    final Flow flow = (Flow)key.attachment();
                    receive(flow == null ? front : flow.upstream, flow);
                }
                selector.selectedKeys().clear();
            }
        }
        catch (final IOException e)
        {
            if (running)
            {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Reads everything waiting on {@code channel}: from clients (flow null) or from the relay on a flow's socket. */
    private void receive(final DatagramChannel channel, final Flow from) throws IOException
    {
        while (true)
        {
            scratch.clear();
            final SocketAddress sender = channel.receive(scratch);
            if (sender == null)
            {
                return;
            }
            scratch.flip();
            final Flow flow = from != null ? from : flows.computeIfAbsent(sender, this::open);
            flow.lastActive = System.nanoTime();
            if (random.nextDouble() * 100 < netem.lossPercent)
            {
                dropped.incrementAndGet();
                continue;
            }
            final ByteBuffer copy = buffer(scratch.remaining());
            copy.put(scratch).flip();
            final long now = System.nanoTime();
            long delay = 0;
            if (random.nextDouble() * 100 < netem.reorderPercent)
            {
                reordered.incrementAndGet();
            }
            else
            {
                final double ms = netem.delayMillis + (random.nextDouble() * 2 - 1) * netem.jitterMillis;
                delay = (long)(Math.max(0, ms) * 1e6);
            }
            queue.add(from == null
                ? new Pending(now + delay, order++, copy, flow.upstream, null)
                : new Pending(now + delay, order++, copy, front, flow.client));
        }
    }

    private Flow open(final SocketAddress client)
    {
        try
        {
            final DatagramChannel up = DatagramChannel.open();
            up.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            up.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            up.bind(new InetSocketAddress(relay.getAddress(), 0));
            up.connect(relay);
            up.configureBlocking(false);
            final Flow f = new Flow(client, up);
            up.register(selector, SelectionKey.OP_READ, f);
            return f;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private void closeIdleFlows(final long now) throws IOException
    {
        final var it = flows.values().iterator();
        while (it.hasNext())
        {
            final Flow f = it.next();
            if (now - f.lastActive > IDLE_FLOW_NANOS)
            {
                // Datagrams still queued for it fail to send and count as lost; the client left a minute ago.
                f.upstream.close();
                it.remove();
            }
        }
    }

    private void sendDue(final long now)
    {
        Pending p;
        while ((p = queue.peek()) != null && p.due - now <= 0)
        {
            queue.poll();
            try
            {
                final int n = p.to == null ? p.out.write(p.data) : p.out.send(p.data, p.to);
                if (n == 0)
                {
                    sendFailures.incrementAndGet();
                }
                else
                {
                    forwarded.incrementAndGet();
                }
            }
            catch (final IOException e)
            {
                // The relay or a client went away (ICMP port unreachable): the datagram is lost, as on a network.
                sendFailures.incrementAndGet();
            }
            recycle(p.data);
        }
    }

    private ByteBuffer buffer(final int size)
    {
        if (size > POOLED_SIZE)
        {
            return ByteBuffer.allocate(size);
        }
        final ByteBuffer b = pool.poll();
        return b == null ? ByteBuffer.allocateDirect(POOLED_SIZE) : b.clear();
    }

    private void recycle(final ByteBuffer b)
    {
        if (b.capacity() == POOLED_SIZE && pool.size() < 65_536)
        {
            pool.add(b);
        }
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(2000);
            for (final Flow f : flows.values())
            {
                f.upstream.close();
            }
            front.close();
            selector.close();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
