package moq.relay.session;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link ForwardingPath}'s cost as the forwarding thread's CPU time per object, for A/B comparisons on a loaded host,
 * where JMH's wall-clock time mostly measures waiting for a core. Prints the minimum and median over batches.
 * Arguments: subscribers, group length, objects per batch, batches. Run on a Netty {@code FastThreadLocalThread}, as
 * the benchmark does: {@code java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp
 * relay-bench/target/benchmarks.jar moq.relay.session.CpuPerObject 10 100000 20000 25}.
 */
public final class CpuPerObject
{
    public static void main(final String[] args) throws Exception
    {
        final int subscribers = Integer.parseInt(args[0]);
        final int groupLength = Integer.parseInt(args[1]);
        final int batch = Integer.parseInt(args[2]);
        final int batches = Integer.parseInt(args[3]);
        final Thread t = new io.netty.util.concurrent.FastThreadLocalThread(() ->
        {
            final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            try (ForwardingPath path = new ForwardingPath(subscribers, 4096, groupLength))
            {
                for (int i = 0; i < batch * 5; i++)
                {
                    path.forwardOne();
                }
                final double[] ns = new double[batches];
                for (int b = 0; b < batches; b++)
                {
                    final long start = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < batch; i++)
                    {
                        path.forwardOne();
                    }
                    ns[b] = (mx.getCurrentThreadCpuTime() - start) / (double)batch;
                }
                java.util.Arrays.sort(ns);
                System.out.printf("subscribers=%d groupLength=%d cpu ns/object min %.0f median %.0f%n", subscribers,
                    groupLength, ns[0], ns[batches / 2]);
            }
        });
        t.start();
        t.join();
    }
}
