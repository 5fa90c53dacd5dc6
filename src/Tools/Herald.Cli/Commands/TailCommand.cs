using System.CommandLine;
using System.Globalization;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald tail</c>: envelopes with their payload JSON. Without <c>--from</c> it starts <c>--count</c> positions before
/// the end of each partition (as <c>tail -n</c> does); <c>--from</c> takes a position (in each selected partition) or
/// a time (ISO 8601; UTC unless it says otherwise). <c>--follow</c> then prints envelopes as they are appended until
/// Ctrl+C. Envelopes of several partitions are merged by the time they occurred.
/// </summary>
internal static class TailCommand
{
    // How often --follow looks for new envelopes when the log cannot notify this process (another process appends).
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep printing envelopes as they are appended, until Ctrl+C." };
    private static readonly Option<string[]> Types = new("--type") { Description = "Only envelopes of this event type (wire name); repeat for several.", HelpName = "TYPE", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> Key = new("--key") { Description = "Only envelopes with this partition key (read from the key's partition only).", HelpName = "KEY" };
    private static readonly Option<int?> Partition = new("--partition", "-p") { Description = "Only this partition.", HelpName = "P" };
    private static readonly Option<string?> From = new("--from") { Description = "Start at this position (in each selected partition) or time (ISO 8601, e.g. 2026-12-01T10:00:00Z).", HelpName = "POSITION|TIME" };
    private static readonly Option<int> Count = new("--count", "-n") { Description = "Without --from: how many positions before the end of each partition to start.", DefaultValueFactory = _ => 10, HelpName = "N" };

    public static Command Create()
    {
        var command = new Command("tail", "Envelopes as they are in the log, payload JSON shown; --follow prints them as they arrive.");
        command.Options.Add(Follow);
        command.Options.Add(Types);
        command.Options.Add(Key);
        command.Options.Add(Partition);
        command.Options.Add(From);
        command.Options.Add(Count);
        command.SetLogAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, OpenedLog opened, Output output, CancellationToken cancellationToken)
    {
        var log = opened.Log;
        var types = parse.GetValue(Types) is { Length: > 0 } asked ? asked : null;
        var key = parse.GetValue(Key);
        var count = parse.GetValue(Count);
        if (count < 0)
            throw new UsageException($"--count {count}: give 0 or more positions.");
        var partitions = SelectPartitions(log, parse.GetValue(Partition), key);
        var from = ParseFrom(parse.GetValue(From));

        var bounds = await log.Stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        var after = new Dictionary<int, long>();
        foreach (var partition in partitions)
        {
            var b = bounds[partition];
            after[partition] = from switch
            {
                null => Math.Max(b.First - 1, b.Last - count),
                { Position: { } position } => Math.Max(b.First - 1, position - 1),
                { Time: { } time } => await log.Stream.FindPositionAsync(partition, time, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidOperationException("unreachable"),
            };
        }

        var printed = 0L;
        try
        {
            while (true)
            {
                var round = new List<EventEnvelope>();
                foreach (var partition in partitions)
                {
                    while (true)
                    {
                        var page = await log.Stream.ReadAsync(partition, after[partition], 500, types, cancellationToken).ConfigureAwait(false);
                        round.AddRange(key is null ? page.Envelopes : page.Envelopes.Where(e => string.Equals(e.PartitionKey, key, StringComparison.Ordinal)));
                        var next = Math.Max(after[partition], page.ScannedTo);
                        var done = next == after[partition] || page.Envelopes.Count < 500;
                        after[partition] = next;
                        if (done)
                            break;
                    }
                }
                foreach (var envelope in round.OrderBy(e => e.OccurredAt).ThenBy(e => e.Partition).ThenBy(e => e.Position))
                {
                    Print(output, envelope);
                    printed++;
                }
                if (!parse.GetValue(Follow))
                    break;
                await Task.Delay(FollowInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends --follow: that is how it is meant to stop.
        }
        if (printed == 0 && !output.Json && !parse.GetValue(Follow))
            output.Terminal.MarkupLine("[grey]No envelopes in that range.[/]");
        return ExitCodes.Success;
    }

    private static void Print(Output output, EventEnvelope envelope)
    {
        if (output.Json)
        {
            output.WriteJsonLine(json => EnvelopeFormat.WriteEnvelope(json, envelope));
            return;
        }
        output.Terminal.MarkupLine(EnvelopeFormat.Heading(envelope));
        output.Terminal.WriteLine(EnvelopeFormat.PrettyPayload(envelope.Payload));
    }

    private static int[] SelectPartitions(IEventLog log, int? partition, string? key)
    {
        if (partition is { } only)
            CommandRunner.RequirePartition(log, only);
        if (key is not null)
        {
            var ofKey = Partitioning.PartitionOf(key, log.Stream.Partitions);
            if (partition is { } only2 && only2 != ofKey)
                throw new UsageException($"--key '{key}' is in partition {ofKey}, not in --partition {only2}.");
            return [ofKey];
        }
        return partition is { } p ? [p] : [.. Enumerable.Range(0, log.Stream.Partitions)];
    }

    private static StartAt? ParseFrom(string? from)
    {
        if (from is null)
            return null;
        if (long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            return position >= 1 ? new StartAt(position, null) : throw new UsageException($"--from {from}: positions start at 1.");
        return Times.TryParse(from, out var time)
            ? new StartAt(null, time)
            : throw new UsageException($"--from '{from}' is neither a position (1, 2, ...) nor a time (ISO 8601, for example 2026-12-01T10:00:00Z).");
    }

    private sealed record StartAt(long? Position, DateTimeOffset? Time);
}
