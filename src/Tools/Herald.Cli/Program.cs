using System.CommandLine;
using System.Runtime.InteropServices;
using Herald.Cli;
using Herald.Cli.Commands;
using Microsoft.Data.Sqlite;

// herald: operate a Herald durable log from the command line. docs/cli.md documents the commands, the --json shapes
// and the exit codes: 0 success, 1 the command failed, 2 the command line is wrong. Every error is one line on stderr.
// A plain command named herald rather than a RootCommand, which takes its name from the entry assembly (Herald.Cli):
// help and errors then name the command the operator types.

// Ctrl+C (and SIGTERM) cancel the command's token, and the command decides what that means (tail --follow ends with
// 0). Registered before anything else, so that a Ctrl+C during startup (parsing, opening the log) stops the command
// too rather than killing the process with the default action. System.CommandLine's own handler is off: it races the
// command and may return 130 while the command returns 0. A second Ctrl+C ends the process at once (exit 130), for a
// stop that blocks on a server that no longer answers.
// A process started with SIGINT ignored (a background job of a non-interactive shell: `herald ... &` in a script)
// keeps ignoring it, as every Unix program does and as .NET's PosixSignalRegistration leaves it; SIGTERM still stops
// it. (That is why tail --follow once hung in CI: the CI job ran in the background, so the tool under test inherited
// an ignored SIGINT and Ctrl+C in its terminal did nothing. The test now starts the terminal as a terminal emulator
// does, with SIGINT at its default.)
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var root = new Command("herald", "herald: see and operate a Herald durable log (lag, owners, dead letters, offsets, retention).");
root.Options.Add(new System.CommandLine.Help.HelpOption { Recursive = true });
root.Options.Add(new VersionOption());
root.Options.Add(LogSource.Sqlite);
root.Options.Add(LogSource.Postgres);
root.Options.Add(LogSource.Schema);
root.Options.Add(LogSource.Redis);
root.Options.Add(LogSource.KeyPrefix);
root.Options.Add(LogSource.Config);
root.Options.Add(CommandRunner.Json);
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ConsumersCommand.Create());
root.Subcommands.Add(TailCommand.Create());
root.Subcommands.Add(DeadLettersCommand.Create());
root.Subcommands.Add(OffsetsCommand.Create());
root.Subcommands.Add(RetentionCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // "Required command was not provided" says less than an unrecognized word next to it: show it only alone.
    var errors = parse.Errors.Count > 1 ? parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) : parse.Errors;
    foreach (var error in errors)
        Console.Error.WriteLine($"herald: {LogSource.OneLine(error.Message)}");
    Console.Error.WriteLine($"herald: run '{string.Join(' ', CommandPath(parse))} --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("herald: stopped before the command finished; what it did so far stays done.");
    return ExitCodes.Failure;
}
catch (UsageException exception)
{
    Console.Error.WriteLine($"herald: {exception.Message}");
    return ExitCodes.Usage;
}
catch (OperatorException exception)
{
    Console.Error.WriteLine($"herald: {exception.Message}");
    return ExitCodes.Failure;
}
catch (SqliteException exception)
{
    // A log that went away or broke under the command (locked for longer than the busy timeout, a disk error).
    Console.Error.WriteLine($"herald: the SQLite log failed: {LogSource.OneLine(exception.Message)}");
    return ExitCodes.Failure;
}
catch (System.Data.Common.DbException exception)
{
    // The PostgreSQL server went away or refused a statement under the command. Npgsql's messages name the server
    // (host and port) and the SQL state, never the connection string.
    Console.Error.WriteLine($"herald: the PostgreSQL log failed: {LogSource.OneLine(exception.Message)}");
    return ExitCodes.Failure;
}
catch (StackExchange.Redis.RedisException exception)
{
    Console.Error.WriteLine($"herald: the Redis log failed: {LogSource.Redacted(exception.Message)}");
    return ExitCodes.Failure;
}
catch (Exception exception) when (exception is InvalidOperationException or IOException or UnauthorizedAccessException or ArgumentException or TimeoutException)
{
    Console.Error.WriteLine($"herald: {LogSource.Message(exception)}");
    return ExitCodes.Failure;
}

void Stop(PosixSignalContext context)
{
    if (stop.IsCancellationRequested)
        return; // the second one: the runtime's default action ends the process (128 + the signal)
    context.Cancel = true;
    // Off the runtime's signal-handling thread: the command's continuations (its output, closing the log) run on the
    // thread pool, not inside this handler, so the handler returns at once and a second signal is seen.
    try
    {
        _ = stop.CancelAsync();
    }
    catch (ObjectDisposedException)
    {
        // The command had finished and the program is on its way out.
    }
}

static IEnumerable<string> CommandPath(ParseResult parse)
{
    var path = new List<string>();
    for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        path.Insert(0, result.Command.Name);
    return path;
}
