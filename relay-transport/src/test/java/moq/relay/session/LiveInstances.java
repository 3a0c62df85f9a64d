package moq.relay.session;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Live instances of a class in this JVM, from a class histogram (which runs a full GC first): for leak tests. */
final class LiveInstances
{
    private LiveInstances()
    {
    }

    static long of(final String className) throws Exception
    {
        final String histogram = (String)ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        for (final String line : histogram.split("\n"))
        {
            final String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals(className))
            {
                return Long.parseLong(f[1]);
            }
        }
        return 0;
    }
}
