package moq.relay.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the kernel's UDP socket queues (/proc/net/udp, every millisecond or so on a thread of its own): the bytes
 * waiting in the receive queues of the sockets bound to one port (the relay's) and of every other socket, and the
 * datagrams each dropped for want of receive buffer. A measurement aid for LargeObjectsLatencyIT.
 */
final class UdpQueues implements AutoCloseable
{
    private final int port;
    private final Thread thread;
    private volatile boolean running = true;
    private final Map<String, Long> dropsAtStart;
    private volatile long maxPortQueue;
    private volatile long maxOtherQueue;
    private volatile long maxPortQueueAtMillis;
    private final long start = System.currentTimeMillis();

    UdpQueues(final int port)
    {
        this.port = port;
        this.dropsAtStart = drops();
        this.thread = new Thread(this::run, "udp-queues");
        thread.setDaemon(true);
        thread.start();
    }

    private void run()
    {
        while (running)
        {
            long portQueue = 0;
            long otherQueue = 0;
            for (final String[] f : sockets())
            {
                final long queue = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                if (localPort(f) == port)
                {
                    portQueue += queue;
                }
                else
                {
                    otherQueue = Math.max(otherQueue, queue);
                }
            }
            if (portQueue > maxPortQueue)
            {
                maxPortQueue = portQueue;
                maxPortQueueAtMillis = System.currentTimeMillis() - start;
            }
            maxOtherQueue = Math.max(maxOtherQueue, otherQueue);
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException e)
            {
                return;
            }
        }
    }

    private static int localPort(final String[] f)
    {
        return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
    }

    private static List<String[]> sockets()
    {
        try
        {
            // Java and netty open dual-stack (IPv6) sockets: those bound to 127.0.0.1 are listed in udp6.
            final List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/net/udp")));
            lines.addAll(Files.readAllLines(Path.of("/proc/net/udp6")));
            return lines.stream().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 13 && !f[0].equals("sl"))
                .toList();
        }
        catch (final IOException e)
        {
            return List.of();
        }
    }

    /** Drops so far by socket (local address, inode). */
    private static Map<String, Long> drops()
    {
        final Map<String, Long> d = new HashMap<>();
        for (final String[] f : sockets())
        {
            d.put(f[1] + " " + f[9], Long.parseLong(f[12]));
        }
        return d;
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
    }

    /** Receive-queue peaks and the drops since this sampler started, relay sockets and others apart. */
    String summary()
    {
        long portDrops = 0;
        long otherDrops = 0;
        for (final Map.Entry<String, Long> e : drops().entrySet())
        {
            final long delta = e.getValue() - dropsAtStart.getOrDefault(e.getKey(), 0L);
            if (Integer.parseInt(e.getKey().substring(e.getKey().indexOf(':') + 1, e.getKey().indexOf(' ')), 16) ==
                port)
            {
                portDrops += delta;
            }
            else
            {
                otherDrops += delta;
            }
        }
        return String.format("relay sockets: queue peak %d KiB at +%d ms, drops %d; other sockets: queue peak %d KiB, " +
            "drops %d", maxPortQueue >> 10, maxPortQueueAtMillis, portDrops, maxOtherQueue >> 10, otherDrops);
    }
}
