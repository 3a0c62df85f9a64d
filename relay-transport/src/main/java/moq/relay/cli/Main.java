package moq.relay.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code moq-relay.jar}: one jar, one subcommand per tool. */
@Command(
    name = "moq-relay",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Media over QUIC Transport relay (drafts 18, 20 and 14) and its tools.",
    subcommands = {ServeCommand.class, DecodeCommand.class, PublishCommand.class, SubscribeCommand.class,
        InteropCommand.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer>
{
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; tests call this in-process. */
    public static int run(final String... args)
    {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    /** No subcommand: serve with the system-property configuration, the command a relay is run for. */
    @Override
    public Integer call() throws InterruptedException
    {
        return new ServeCommand().call();
    }

    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"moq-relay " + (v == null ? "dev" : v) + ", MoQT drafts 18, 20 and 14"};
        }
    }
}
