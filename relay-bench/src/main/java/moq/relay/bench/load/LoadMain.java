package moq.relay.bench.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar moq-load.jar}: the end-to-end load suite (see perf/README.md). */
@Command(
    name = "moq-load",
    mixinStandardHelpOptions = true,
    description = "End-to-end load suite for the MoQT relay: publishers and subscribers over real QUIC on loopback, "
        + "against the relay and against a plain Netty QUIC sender (the ceiling).",
    subcommands = {ScenarioCommand.class, RunCommand.class, CeilingCommand.class, PlotCommand.class,
        JfrSummaryCommand.class, FirstCallCommand.class})
public final class LoadMain
{
    private LoadMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new LoadMain()).execute(args));
    }
}
