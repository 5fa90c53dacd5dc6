using System.CommandLine;
using System.Globalization;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald consumers</c>: per consumer and partition: offset, lag, owner, lease expiry, dead letters.</summary>
internal static class ConsumersCommand
{
    private static readonly Option<string?> Consumer = new("--consumer") { Description = "Only this consumer.", HelpName = "NAME" };

    public static Command Create()
    {
        var command = new Command("consumers", "Per consumer and partition: committed offset, lag, owner, lease expiry and dead letters.");
        command.Options.Add(Consumer);
        command.SetLogAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, OpenedLog opened, Output output, CancellationToken cancellationToken)
    {
        var log = opened.Log;
        IReadOnlyList<string> names;
        if (parse.GetValue(Consumer) is { } only)
        {
            await CommandRunner.RequireConsumerAsync(log, only, cancellationToken).ConfigureAwait(false);
            names = [only];
        }
        else
        {
            names = await log.Checkpoints.ListConsumersAsync(cancellationToken).ConfigureAwait(false);
        }

        var rows = new List<(ConsumerPartitionStatus Status, long DeadLetters)>();
        foreach (var name in names)
        {
            // Dead letters per partition: the store counts by consumer and type, so group the consumer's letters here.
            var letters = new Dictionary<int, long>();
            await foreach (var letter in CommandRunner.AllDeadLettersAsync(log, new DeadLetterQuery(Consumer: name), cancellationToken).ConfigureAwait(false))
                letters[letter.Envelope.Partition] = letters.GetValueOrDefault(letter.Envelope.Partition) + 1;
            foreach (var status in await opened.Admin.GetPartitionsAsync(name, cancellationToken).ConfigureAwait(false))
                rows.Add((status, letters.GetValueOrDefault(status.Partition)));
        }

        if (output.Json)
        {
            output.WriteJson(json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("consumers");
                foreach (var (s, deadLetters) in rows)
                {
                    json.WriteStartObject();
                    json.WriteString("consumer", s.Consumer);
                    json.WriteNumber("partition", s.Partition);
                    if (s.Offset is { } offset)
                        json.WriteNumber("offset", offset);
                    else
                        json.WriteNull("offset");
                    json.WriteNumber("first", s.Bounds.First);
                    json.WriteNumber("last", s.Bounds.Last);
                    json.WriteNumber("lag", s.Lag);
                    if (s.Owner is null)
                        json.WriteNull("owner");
                    else
                        json.WriteString("owner", s.Owner);
                    if (s.LeaseExpiresAt is { } expires)
                        json.WriteString("leaseExpiresAt", Output.JsonTime(expires));
                    else
                        json.WriteNull("leaseExpiresAt");
                    json.WriteNumber("epoch", s.Epoch);
                    json.WriteBoolean("behindRetention", s.BehindRetention);
                    json.WriteNumber("deadLetters", deadLetters);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
            return ExitCodes.Success;
        }

        if (rows.Count == 0)
        {
            output.Terminal.MarkupLine("No consumer has run on this log yet.");
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumns("consumer", "partition", "offset", "last", "lag", "owner", "lease expires", "epoch", "dead letters");
        foreach (var (s, deadLetters) in rows)
        {
            var offset = s.Offset is { } o ? Output.Number(o) : "-";
            table.AddRow(
                Markup.Escape(s.Consumer),
                s.Partition.ToString(CultureInfo.InvariantCulture),
                s.BehindRetention ? $"[red]{offset} (behind retention)[/]" : offset,
                Output.Number(s.Bounds.Last),
                s.Lag == 0 ? "[green]0[/]" : $"[yellow]{Output.Number(s.Lag)}[/]",
                s.Owner is null ? "[grey]none[/]" : Markup.Escape(s.Owner),
                s.LeaseExpiresAt is { } expires ? Output.Time(expires) : "-",
                s.Epoch.ToString(CultureInfo.InvariantCulture),
                deadLetters == 0 ? "0" : $"[red]{Output.Number(deadLetters)}[/]");
        }
        output.Terminal.Write(table);
        return ExitCodes.Success;
    }
}
