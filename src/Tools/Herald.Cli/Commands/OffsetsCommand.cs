using System.CommandLine;
using System.Globalization;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald offsets set CONSUMER (--position N | --time T | --earliest | --latest) [--partition P]</c>: replays
/// (backwards) or skips (forwards). Shows the plan and asks first unless <c>--yes</c>. A member handling a moved
/// partition is fenced by the move (the lease's epoch rises): it stops and resumes from the new offset.
/// </summary>
internal static class OffsetsCommand
{
    private static readonly Argument<string> Consumer = new("CONSUMER") { Description = "The consumer whose offsets to move." };
    private static readonly Option<long?> Position = new("--position") { Description = "Its next event is the one after this position (0: from the start); needs --partition.", HelpName = "N" };
    private static readonly Option<string?> Time = new("--time") { Description = "Replay every event that occurred at or after this time (ISO 8601, UTC unless it says otherwise).", HelpName = "TIME" };
    private static readonly Option<bool> Earliest = new("--earliest") { Description = "Replay from the oldest retained event." };
    private static readonly Option<bool> Latest = new("--latest") { Description = "Skip to after the newest event." };
    private static readonly Option<int?> Partition = new("--partition", "-p") { Description = "Only this partition (default: every partition).", HelpName = "P" };
    private static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Do not ask for confirmation." };

    public static Command Create()
    {
        var set = new Command("set", "Moves a consumer's offsets: replay from a position or time, or skip ahead. Asks first unless --yes.");
        set.Arguments.Add(Consumer);
        set.Options.Add(Position);
        set.Options.Add(Time);
        set.Options.Add(Earliest);
        set.Options.Add(Latest);
        set.Options.Add(Partition);
        set.Options.Add(Yes);
        set.SetLogAction(RunAsync);
        var command = new Command("offsets", "Consumers' committed offsets.");
        command.Subcommands.Add(set);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, OpenedLog opened, Output output, CancellationToken cancellationToken)
    {
        var log = opened.Log;
        var consumer = parse.GetValue(Consumer)!;
        var position = parse.GetValue(Position);
        var timeText = parse.GetValue(Time);
        var targets = (position is null ? 0 : 1) + (timeText is null ? 0 : 1) + (parse.GetValue(Earliest) ? 1 : 0) + (parse.GetValue(Latest) ? 1 : 0);
        if (targets != 1)
            throw new UsageException("Say where to move the offsets with one of --position N (with --partition), --time T, --earliest or --latest.");
        var partition = parse.GetValue(Partition);
        if (position is not null && partition is null)
            throw new UsageException("--position names a position within one partition: add --partition P.");
        if (position < 0)
            throw new UsageException($"--position {position}: give 0 (before the first event) or more.");
        DateTimeOffset? time = null;
        if (timeText is not null)
            time = Times.TryParse(timeText, out var parsed)
                ? parsed
                : throw new UsageException($"--time '{timeText}' is not a time; give it as ISO 8601, for example 2026-12-01T10:00:00Z.");
        if (partition is { } only)
            CommandRunner.RequirePartition(log, only);
        await CommandRunner.RequireConsumerAsync(log, consumer, cancellationToken).ConfigureAwait(false);

        // The plan first, from one read of the bounds: what each partition's offset is and what it becomes.
        var statuses = await opened.Admin.GetPartitionsAsync(consumer, cancellationToken).ConfigureAwait(false);
        var plan = new List<(int Partition, long? From, long To)>();
        foreach (var status in statuses)
        {
            if (partition is not null && status.Partition != partition)
                continue;
            var bounds = status.Bounds;
            long to;
            if (position is { } p)
            {
                if (p > bounds.Last)
                    throw new OperatorException($"--position {p} is after partition {status.Partition}'s last position ({bounds.Last}).");
                if (p < bounds.First - 1)
                    throw new OperatorException($"--position {p} is before what partition {status.Partition} retains (its oldest event is at {bounds.First}); --earliest replays from there.");
                to = p;
            }
            else if (time is { } t)
                to = await log.Stream.FindPositionAsync(status.Partition, t, cancellationToken).ConfigureAwait(false);
            else if (parse.GetValue(Earliest))
                to = bounds.First - 1;
            else
                to = bounds.Last;
            plan.Add((status.Partition, status.Offset, Math.Max(0, to)));
        }

        if (!output.Json)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"offsets of {Markup.Escape(consumer)}");
            table.AddColumns("partition", "offset now", "new offset", "events to handle");
            foreach (var (p, from, to) in plan)
                table.AddRow(p.ToString(CultureInfo.InvariantCulture), from is { } f ? Output.Number(f) : "-", Output.Number(to), Output.Number(Math.Max(0, statuses[p].Bounds.Last - to)));
            output.Terminal.Write(table);
        }
        if (!Output.Confirm($"Move the offsets of '{consumer}' in {plan.Count} partition(s)?", parse.GetValue(Yes)))
            throw new OperatorException("Not confirmed; no offset was moved.");
        foreach (var (p, _, to) in plan)
            await opened.Admin.MoveOffsetAsync(consumer, p, to, cancellationToken).ConfigureAwait(false);

        if (output.Json)
            output.WriteJson(json =>
            {
                json.WriteStartObject();
                json.WriteString("consumer", consumer);
                json.WriteStartArray("offsets");
                foreach (var (p, from, to) in plan)
                {
                    json.WriteStartObject();
                    json.WriteNumber("partition", p);
                    if (from is { } f)
                        json.WriteNumber("from", f);
                    else
                        json.WriteNull("from");
                    json.WriteNumber("to", to);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
        else
            output.Terminal.MarkupLine($"Moved the offsets of [bold]{Markup.Escape(consumer)}[/] in {plan.Count} partition(s); a running member resumes from them.");
        return ExitCodes.Success;
    }
}
