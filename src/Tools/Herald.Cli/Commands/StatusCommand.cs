using System.CommandLine;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald status</c>: the log at a glance: transport, partitions and their bounds, consumers, dead letters.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "The log at a glance: transport, partitions and bounds, each consumer's lag, dead letters.");
        command.SetLogAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, OpenedLog opened, Output output, CancellationToken cancellationToken)
    {
        var log = opened.Log;
        var bounds = await log.Stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        var names = await log.Checkpoints.ListConsumersAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var consumers = new List<ConsumerSummary>();
        foreach (var name in names)
        {
            var partitions = await opened.Admin.GetPartitionsAsync(name, cancellationToken).ConfigureAwait(false);
            var members = await log.Leases.GetMembersAsync(name, now, cancellationToken).ConfigureAwait(false);
            var letters = await log.DeadLetters.CountAsync(new DeadLetterQuery(Consumer: name), cancellationToken).ConfigureAwait(false);
            consumers.Add(new ConsumerSummary(name, partitions.Sum(p => p.Lag), [.. members.Select(m => m.Member)],
                [.. partitions.Where(p => p.BehindRetention).Select(p => p.Partition)], letters));
        }
        var deadLetters = await log.DeadLetters.CountAsync(new DeadLetterQuery(), cancellationToken).ConfigureAwait(false);
        var events = bounds.Sum(b => Math.Max(0, b.Retained));

        if (output.Json)
        {
            output.WriteJson(json =>
            {
                json.WriteStartObject();
                json.WriteString("transport", log.Transport);
                json.WriteString("log", opened.Location);
                json.WriteNumber("partitions", log.Stream.Partitions);
                json.WriteNumber("events", events);
                json.WriteStartArray("bounds");
                foreach (var b in bounds)
                {
                    json.WriteStartObject();
                    json.WriteNumber("partition", b.Partition);
                    json.WriteNumber("first", b.First);
                    json.WriteNumber("last", b.Last);
                    json.WriteNumber("retained", Math.Max(0, b.Retained));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("consumers");
                foreach (var c in consumers)
                {
                    json.WriteStartObject();
                    json.WriteString("consumer", c.Name);
                    json.WriteNumber("lag", c.Lag);
                    json.WriteStartArray("members");
                    foreach (var member in c.Members)
                        json.WriteStringValue(member);
                    json.WriteEndArray();
                    json.WriteStartArray("behindRetention");
                    foreach (var partition in c.BehindRetention)
                        json.WriteNumberValue(partition);
                    json.WriteEndArray();
                    json.WriteNumber("deadLetters", c.DeadLetters);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteNumber("deadLetters", deadLetters);
                json.WriteEndObject();
            });
            return ExitCodes.Success;
        }

        var console = output.Terminal;
        console.MarkupLine($"[bold]{Markup.Escape(log.Transport)}[/] log [grey]{Markup.Escape(opened.Location)}[/]");
        console.MarkupLine($"{log.Stream.Partitions} partitions, {Output.Number(events)} events retained, " +
                           (deadLetters == 0 ? "no dead letters" : $"[red]{Output.Number(deadLetters)} dead letter(s)[/]"));
        var partitionTable = new Table().Border(TableBorder.Rounded).Title("partitions");
        partitionTable.AddColumns("partition", "first", "last", "retained");
        foreach (var b in bounds)
            partitionTable.AddRow(b.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture), Output.Number(b.First), Output.Number(b.Last), Output.Number(Math.Max(0, b.Retained)));
        console.Write(partitionTable);
        if (consumers.Count == 0)
        {
            console.MarkupLine("No consumer has run on this log yet.");
            return ExitCodes.Success;
        }
        var consumerTable = new Table().Border(TableBorder.Rounded).Title("consumers");
        consumerTable.AddColumns("consumer", "lag", "members", "behind retention", "dead letters");
        foreach (var c in consumers)
            consumerTable.AddRow(
                Markup.Escape(c.Name),
                c.Lag == 0 ? "[green]0[/]" : $"[yellow]{Output.Number(c.Lag)}[/]",
                c.Members.Count == 0 ? "[red]none[/]" : Markup.Escape(string.Join(", ", c.Members)),
                c.BehindRetention.Count == 0 ? "-" : $"[red]partitions {string.Join(", ", c.BehindRetention)}[/]",
                c.DeadLetters == 0 ? "0" : $"[red]{Output.Number(c.DeadLetters)}[/]");
        console.Write(consumerTable);
        return ExitCodes.Success;
    }

    private sealed record ConsumerSummary(string Name, long Lag, IReadOnlyList<string> Members, IReadOnlyList<int> BehindRetention, long DeadLetters);
}
