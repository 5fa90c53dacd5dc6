using System.CommandLine;
using Herald.Durable;

namespace Herald.Cli;

/// <summary>What every command that reads a log shares: the --json option, opening the log, naming a consumer.</summary>
internal static class CommandRunner
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write JSON for scripts (the shape is documented in docs/cli.md) instead of tables.",
        Recursive = true,
    };

    /// <summary>Opens the log, runs <paramref name="run"/> on it, and closes it.</summary>
    public static void SetLogAction(this Command command, Func<ParseResult, OpenedLog, Output, CancellationToken, Task<int>> run)
        => command.SetAction(async (parse, cancellationToken) =>
        {
            var output = new Output(parse.GetValue(Json));
            await using var log = LogSource.Open(parse);
            return await run(parse, log, output, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Fails with one line naming the consumers the log knows when <paramref name="consumer"/> is not one of them.</summary>
    public static async Task RequireConsumerAsync(IEventLog log, string consumer, CancellationToken cancellationToken)
    {
        var known = await log.Checkpoints.ListConsumersAsync(cancellationToken).ConfigureAwait(false);
        if (known.Contains(consumer, StringComparer.Ordinal))
            return;
        throw new OperatorException(known.Count == 0
            ? $"No consumer named '{consumer}' in this log: no consumer has run on it yet."
            : $"No consumer named '{consumer}' in this log; it knows: {string.Join(", ", known)}.");
    }

    /// <summary>Fails when <paramref name="partition"/> is not one of the log's.</summary>
    public static void RequirePartition(IEventLog log, int partition)
    {
        if (partition < 0 || partition >= log.Stream.Partitions)
            throw new UsageException($"--partition {partition}: the log has partitions 0 to {log.Stream.Partitions - 1}.");
    }

    /// <summary>Every dead letter matching <paramref name="filter"/>, a page at a time.</summary>
    public static async IAsyncEnumerable<DeadLetter> AllDeadLettersAsync(IEventLog log, DeadLetterQuery filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = filter with { AfterId = 0, MaxCount = 500 };
        while (true)
        {
            var page = await log.DeadLetters.ListAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var letter in page)
                yield return letter;
            if (page.Count < query.MaxCount)
                yield break;
            query = query with { AfterId = page[^1].Id };
        }
    }
}
