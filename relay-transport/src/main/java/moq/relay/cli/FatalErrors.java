package moq.relay.cli;

import java.lang.management.ManagementFactory;

/**
 * Makes an {@link OutOfMemoryError} end the relay process at once. After one, threads die or skip work at random
 * (issue 12 saw the I/O and timer threads gone, connections timing out and SIGTERM ignored): a process that exits is
 * restarted by its supervisor; a zombie is not. The first line of defence is the JVM's own
 * {@code -XX:+ExitOnOutOfMemoryError} (the {@code ./moq-relay} launcher and the load suite pass it): it acts on every
 * OutOfMemoryError the JVM raises, even one that Netty catches and logs. This class covers what reaches our code
 * otherwise: a thread that dies of it (the default uncaught-exception handler) and the engine's timer task
 * ({@link #guard}), and it warns at start-up when the JVM option is off.
 */
final class FatalErrors
{
    /** The exit status, as {@code -XX:+ExitOnOutOfMemoryError} uses. */
    static final int EXIT_OUT_OF_MEMORY = 3;

    /** What ends the process; {@link Runtime#halt} (no shutdown hooks: they may need memory or wait forever). */
    interface Halt
    {
        void halt(int status);
    }

    private static final Halt RUNTIME_HALT = status -> Runtime.getRuntime().halt(status);

    private FatalErrors()
    {
    }

    /** Installs the default uncaught-exception handler: an OutOfMemoryError halts, anything else is printed. */
    static void install()
    {
        Thread.setDefaultUncaughtExceptionHandler(handler(RUNTIME_HALT));
        if (!exitOnOutOfMemoryError())
        {
            System.err.println("moq-relay: warning: the JVM runs without -XX:+ExitOnOutOfMemoryError; an " +
                "OutOfMemoryError that Netty catches could leave a process that no longer serves (./moq-relay passes it)");
        }
    }

    static Thread.UncaughtExceptionHandler handler(final Halt halt)
    {
        return (thread, error) ->
        {
            if (isOutOfMemory(error))
            {
                outOfMemory(halt, thread.getName());
                return;
            }
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace();
        };
    }

    /**
     * {@code task} for a scheduled executor: an OutOfMemoryError halts the process; any other throwable is printed and
     * the task stays scheduled (an executor silently cancels a periodic task that throws).
     */
    static Runnable guard(final String name, final Runnable task, final Halt halt)
    {
        return () ->
        {
            try
            {
                task.run();
            }
            catch (final Throwable t)
            {
                if (isOutOfMemory(t))
                {
                    outOfMemory(halt, name);
                    return;
                }
                System.err.println("moq-relay: " + name + " failed: " + t);
            }
        };
    }

    static Runnable guard(final String name, final Runnable task)
    {
        return guard(name, task, RUNTIME_HALT);
    }

    static boolean isOutOfMemory(final Throwable error)
    {
        for (Throwable t = error; t != null; t = t.getCause())
        {
            if (t instanceof OutOfMemoryError)
            {
                return true;
            }
        }
        return false;
    }

    private static void outOfMemory(final Halt halt, final String where)
    {
        // Preallocated-free path: a constant string, no formatting that could need memory we do not have.
        System.err.println("moq-relay: OutOfMemoryError, exiting");
        System.err.println(where);
        halt.halt(EXIT_OUT_OF_MEMORY);
    }

    private static boolean exitOnOutOfMemoryError()
    {
        try
        {
            return "true".equals(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("ExitOnOutOfMemoryError").getValue());
        }
        catch (final RuntimeException | LinkageError e)
        {
            return true; // not a HotSpot JVM: nothing to say
        }
    }
}
