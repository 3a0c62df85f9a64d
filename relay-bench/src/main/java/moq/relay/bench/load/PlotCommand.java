package moq.relay.bench.load;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plot DIR}: redraws {@code DIR/plot.png} from {@code DIR/results.json}. */
@Command(name = "plot", mixinStandardHelpOptions = true,
    description = "Redraw DIR/plot.png (latency percentiles and throughput against fan-out) from DIR/results.json.")
final class PlotCommand implements Callable<Integer>
{
    @Parameters(paramLabel = "DIR", description = "A scenario's results directory.")
    Path dir;

    @Override
    public Integer call() throws Exception
    {
        Plots.write(dir.getFileName().toString(), ResultsFiles.read(dir), dir.resolve("plot.png"));
        return 0;
    }
}
