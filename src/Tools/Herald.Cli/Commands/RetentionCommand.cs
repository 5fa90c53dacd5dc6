using System.CommandLine;
using System.Globalization;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald retention apply [--dry-run]</c>: removes what the retention policy no longer keeps, now. The policy is the
/// app's <c>Herald:Retention</c> (with <c>--config</c>), or <c>--max-age</c> / <c>--max-events</c>, which override it.
/// It says which consumers it leaves behind (their unhandled events removed): those stop until their offsets are moved.
/// </summary>
internal static class RetentionCommand
{
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Say what would be removed, and remove nothing." };
    private static readonly Option<string?> MaxAge = new("--max-age") { Description = "Keep events younger than this (a time span: 7.00:00:00 is 7 days).", HelpName = "AGE" };
    private static readonly Option<long?> MaxEvents = new("--max-events") { Description = "Keep at most this many events (the newest).", HelpName = "N" };

    public static Command Create()
    {
        var apply = new Command("apply", "Removes what the retention policy no longer keeps (--dry-run: only says what).");
        apply.Options.Add(DryRun);
        apply.Options.Add(MaxAge);
        apply.Options.Add(MaxEvents);
        apply.SetLogAction(RunAsync);
        var command = new Command("retention", "The log's retention.");
        command.Subcommands.Add(apply);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, OpenedLog opened, Output output, CancellationToken cancellationToken)
    {
        var log = opened.Log;
        var policy = Policy(parse, opened);
        var now = DateTimeOffset.UtcNow;
        var dryRun = parse.GetValue(DryRun);
        IReadOnlyList<RetentionCut>? cuts = log is IRetentionPreview preview
            ? await preview.PreviewRetentionAsync(policy, now, cancellationToken).ConfigureAwait(false)
            : null;
        if (dryRun && cuts is null)
            throw new OperatorException($"The {log.Transport} log cannot preview retention (it does not implement IRetentionPreview); nothing was removed.");

        // Who is left behind: a consumer whose offset (or, without one, the start of the partition) is before the cut.
        var behind = new List<(string Consumer, int Partition, long Offset, long RemovesThrough)>();
        if (cuts is not null)
        {
            foreach (var consumer in await log.Checkpoints.ListConsumersAsync(cancellationToken).ConfigureAwait(false))
                foreach (var status in await opened.Admin.GetPartitionsAsync(consumer, cancellationToken).ConfigureAwait(false))
                {
                    var cut = cuts[status.Partition];
                    var offset = status.Offset ?? status.Bounds.First - 1;
                    if (cut.Count > 0 && offset < cut.RemovesThrough)
                        behind.Add((consumer, status.Partition, offset, cut.RemovesThrough));
                }
        }
        var removed = dryRun ? cuts!.Sum(c => c.Count) : await log.ApplyRetentionAsync(policy, now, cancellationToken).ConfigureAwait(false);

        if (output.Json)
        {
            output.WriteJson(json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("dryRun", dryRun);
                json.WriteNumber("removed", removed);
                json.WriteStartArray("partitions");
                foreach (var cut in cuts ?? [])
                {
                    json.WriteStartObject();
                    json.WriteNumber("partition", cut.Partition);
                    json.WriteNumber("removesThrough", cut.RemovesThrough);
                    json.WriteNumber("count", cut.Count);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("consumersLeftBehind");
                foreach (var (consumer, partition, offset, through) in behind)
                {
                    json.WriteStartObject();
                    json.WriteString("consumer", consumer);
                    json.WriteNumber("partition", partition);
                    json.WriteNumber("offset", offset);
                    json.WriteNumber("removesThrough", through);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
            return ExitCodes.Success;
        }

        var console = output.Terminal;
        if (cuts is not null)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(dryRun ? "would remove" : "removed");
            table.AddColumns("partition", "through position", "events");
            foreach (var cut in cuts)
                table.AddRow(cut.Partition.ToString(CultureInfo.InvariantCulture), cut.Count == 0 ? "-" : Output.Number(cut.RemovesThrough), Output.Number(cut.Count));
            console.Write(table);
        }
        foreach (var (consumer, partition, offset, through) in behind)
            console.MarkupLine($"[red]{Markup.Escape(consumer)} {(dryRun ? "would be" : "is")} left behind in partition {partition}[/]: its offset {offset} is before {through}; it stops there until 'herald offsets set' moves it.");
        console.MarkupLine(dryRun ? $"Would remove {Output.Number(removed)} event(s); nothing was removed." : $"Removed {Output.Number(removed)} event(s).");
        return ExitCodes.Success;
    }

    private static RetentionPolicy Policy(ParseResult parse, OpenedLog opened)
    {
        var policy = new RetentionPolicy
        {
            MaxAge = opened.ConfiguredRetention?.MaxAge,
            MaxEvents = opened.ConfiguredRetention?.MaxEvents,
        };
        if (parse.GetValue(MaxAge) is { } ageText)
            policy.MaxAge = TimeSpan.TryParse(ageText, CultureInfo.InvariantCulture, out var age) && age >= TimeSpan.Zero
                ? age
                : throw new UsageException($"--max-age '{ageText}' is not a time span; write it as 7.00:00:00 (7 days) or 12:00:00 (12 hours).");
        if (parse.GetValue(MaxEvents) is { } maxEvents)
            policy.MaxEvents = maxEvents >= 0 ? maxEvents : throw new UsageException($"--max-events {maxEvents}: give 0 or more.");
        if (policy.KeepsEverything)
            throw new UsageException(opened.ConfiguredRetention is null
                ? "No retention policy: pass --max-age or --max-events (or --config with the app's Herald:Retention)."
                : "The configuration sets no Herald:Retention:MaxAge or MaxEvents: pass --max-age or --max-events.");
        return policy;
    }
}
