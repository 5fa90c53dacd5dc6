using System.CommandLine;
using System.Globalization;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary><c>herald dead-letters list|show|replay|purge</c>: the events consumers gave up on.</summary>
internal static class DeadLettersCommand
{
    private static readonly Option<string?> Consumer = new("--consumer") { Description = "Only the dead letters of this consumer.", HelpName = "NAME" };
    private static readonly Option<string?> Type = new("--type") { Description = "Only the dead letters of this event type (wire name).", HelpName = "TYPE" };
    private static readonly Option<int> Limit = new("--limit") { Description = "The most letters to list.", DefaultValueFactory = _ => 100, HelpName = "N" };
    private static readonly Argument<long> Id = new("ID") { Description = "The dead letter's id (from dead-letters list)." };
    private static readonly Argument<long?> OptionalId = new("ID") { Description = "The dead letter's id; omit it with --all.", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<bool> All = new("--all") { Description = "Every dead letter (matching --consumer and --type)." };
    private static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Do not ask for confirmation." };

    public static Command Create()
    {
        var command = new Command("dead-letters", "The events consumers gave up on: list, show, replay, purge.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateReplay());
        command.Subcommands.Add(CreatePurge());
        return command;
    }

    private static Command CreateList()
    {
        var list = new Command("list", "Dead letters, oldest first: id, consumer, event, reason, attempts.");
        list.Options.Add(Consumer);
        list.Options.Add(Type);
        list.Options.Add(Limit);
        list.SetLogAction(async (parse, opened, output, cancellationToken) =>
        {
            var filter = await FilterAsync(parse, opened.Log, cancellationToken).ConfigureAwait(false);
            var limit = parse.GetValue(Limit);
            if (limit < 1)
                throw new UsageException($"--limit {limit}: list at least 1.");
            var total = await opened.Log.DeadLetters.CountAsync(filter, cancellationToken).ConfigureAwait(false);
            var letters = new List<DeadLetter>();
            await foreach (var letter in CommandRunner.AllDeadLettersAsync(opened.Log, filter, cancellationToken).ConfigureAwait(false))
            {
                letters.Add(letter);
                if (letters.Count == limit)
                    break;
            }
            if (output.Json)
            {
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("total", total);
                    json.WriteStartArray("deadLetters");
                    foreach (var letter in letters)
                        EnvelopeFormat.WriteDeadLetter(json, letter);
                    json.WriteEndArray();
                    json.WriteEndObject();
                });
                return ExitCodes.Success;
            }
            if (letters.Count == 0)
            {
                output.Terminal.MarkupLine("[green]No dead letters.[/]");
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumns("id", "consumer", "type", "at", "key", "reason", "attempts", "dead-lettered");
            foreach (var letter in letters)
                table.AddRow(
                    letter.Id.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(letter.Consumer ?? "(append)"),
                    Markup.Escape(letter.Envelope.Type),
                    $"p{letter.Envelope.Partition}/{letter.Envelope.Position}",
                    Markup.Escape(letter.Envelope.PartitionKey ?? "-"),
                    Markup.Escape(letter.Reason),
                    letter.Attempts.ToString(CultureInfo.InvariantCulture),
                    Output.Time(letter.DeadLetteredAt));
            output.Terminal.Write(table);
            if (total > letters.Count)
                output.Terminal.MarkupLine($"[grey]{letters.Count} of {Output.Number(total)} shown; --limit shows more.[/]");
            return ExitCodes.Success;
        });
        return list;
    }

    private static Command CreateShow()
    {
        var show = new Command("show", "One dead letter: the envelope, its payload pretty-printed, the exception and the attempts.");
        show.Arguments.Add(Id);
        show.SetLogAction(async (parse, opened, output, cancellationToken) =>
        {
            var letter = await GetAsync(opened.Log, parse.GetValue(Id), cancellationToken).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(json => EnvelopeFormat.WriteDeadLetter(json, letter));
                return ExitCodes.Success;
            }
            var console = output.Terminal;
            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("[bold]dead letter[/]", letter.Id.ToString(CultureInfo.InvariantCulture));
            grid.AddRow("[bold]consumer[/]", Markup.Escape(letter.Consumer ?? "(the append failed)"));
            grid.AddRow("[bold]reason[/]", Markup.Escape(letter.Reason));
            grid.AddRow("[bold]attempts[/]", letter.Attempts.ToString(CultureInfo.InvariantCulture));
            grid.AddRow("[bold]dead-lettered[/]", Output.Time(letter.DeadLetteredAt));
            grid.AddRow("[bold]event[/]", EnvelopeFormat.Heading(letter.Envelope));
            foreach (var header in letter.Envelope.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
                grid.AddRow($"[bold]header[/] {Markup.Escape(header.Key)}", Markup.Escape(header.Value));
            console.Write(grid);
            console.MarkupLine("[bold]payload[/]");
            console.WriteLine(EnvelopeFormat.PrettyPayload(letter.Envelope.Payload));
            if (letter.Exception is not null)
            {
                console.MarkupLine("[bold]exception[/]");
                console.WriteLine(letter.Exception);
            }
            return ExitCodes.Success;
        });
        return show;
    }

    private static Command CreateReplay()
    {
        var replay = new Command("replay", "Appends dead-lettered events again (same id, a new position) and removes their letters: the consumers that had not handled them receive them.");
        replay.Arguments.Add(OptionalId);
        replay.Options.Add(All);
        replay.Options.Add(Consumer);
        replay.Options.Add(Type);
        replay.SetLogAction(async (parse, opened, output, cancellationToken) =>
        {
            var id = parse.GetValue(OptionalId);
            var all = parse.GetValue(All);
            if (id is not null == all)
                throw new UsageException("Give the id of one dead letter, or --all (with --consumer or --type to narrow it).");
            if (id is { } one && (parse.GetValue(Consumer) is not null || parse.GetValue(Type) is not null))
                throw new UsageException("--consumer and --type narrow --all; with an id, give only the id.");

            long replayed;
            if (id is { } single)
            {
                await GetAsync(opened.Log, single, cancellationToken).ConfigureAwait(false);
                if (!await opened.Admin.ReplayDeadLetterAsync(single, cancellationToken).ConfigureAwait(false))
                    throw new OperatorException($"No dead letter with id {single} in this log (it was replayed or purged meanwhile).");
                replayed = 1;
            }
            else
            {
                var filter = await FilterAsync(parse, opened.Log, cancellationToken).ConfigureAwait(false);
                var total = await opened.Log.DeadLetters.CountAsync(filter, cancellationToken).ConfigureAwait(false);
                if (output.CanShowProgress && total > 0)
                {
                    replayed = 0;
                    await output.Terminal.Progress().StartAsync(async context =>
                    {
                        var task = context.AddTask("replaying dead letters", maxValue: total);
                        replayed = await opened.Admin.ReplayDeadLettersAsync(filter, new Progress(task), cancellationToken).ConfigureAwait(false);
                        task.Value = task.MaxValue;
                    }).ConfigureAwait(false);
                }
                else
                {
                    replayed = await opened.Admin.ReplayDeadLettersAsync(filter, null, cancellationToken).ConfigureAwait(false);
                }
            }
            if (output.Json)
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("replayed", replayed);
                    json.WriteEndObject();
                });
            else
                output.Terminal.MarkupLine($"Replayed {Output.Number(replayed)} dead letter(s).");
            return ExitCodes.Success;
        });
        return replay;
    }

    private static Command CreatePurge()
    {
        var purge = new Command("purge", "Removes dead letters for good: one by id, or --all (with --consumer or --type to narrow it). Asks first unless --yes.");
        purge.Arguments.Add(OptionalId);
        purge.Options.Add(All);
        purge.Options.Add(Consumer);
        purge.Options.Add(Type);
        purge.Options.Add(Yes);
        purge.SetLogAction(async (parse, opened, output, cancellationToken) =>
        {
            var id = parse.GetValue(OptionalId);
            var all = parse.GetValue(All);
            if (id is not null == all)
                throw new UsageException("Give the id of one dead letter, or --all (with --consumer or --type to narrow it).");
            if (id is not null && (parse.GetValue(Consumer) is not null || parse.GetValue(Type) is not null))
                throw new UsageException("--consumer and --type narrow --all; with an id, give only the id.");

            long purged;
            if (id is { } single)
            {
                var letter = await GetAsync(opened.Log, single, cancellationToken).ConfigureAwait(false);
                if (!Output.Confirm($"Purge dead letter {single} ({letter.Envelope.Type} of {letter.Consumer ?? "the append"})? It cannot be replayed afterwards.", parse.GetValue(Yes)))
                    throw new OperatorException("Not confirmed; nothing was purged.");
                purged = await opened.Log.DeadLetters.DeleteAsync(single, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
            else
            {
                var filter = await FilterAsync(parse, opened.Log, cancellationToken).ConfigureAwait(false);
                var total = await opened.Log.DeadLetters.CountAsync(filter, cancellationToken).ConfigureAwait(false);
                if (total > 0 && !Output.Confirm($"Purge {Output.Number(total)} dead letter(s){Describe(filter)}? They cannot be replayed afterwards.", parse.GetValue(Yes)))
                    throw new OperatorException("Not confirmed; nothing was purged.");
                purged = total == 0 ? 0 : await opened.Admin.PurgeDeadLettersAsync(filter, cancellationToken).ConfigureAwait(false);
            }
            if (output.Json)
                output.WriteJson(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("purged", purged);
                    json.WriteEndObject();
                });
            else
                output.Terminal.MarkupLine($"Purged {Output.Number(purged)} dead letter(s).");
            return ExitCodes.Success;
        });
        return purge;
    }

    private static async Task<DeadLetterQuery> FilterAsync(ParseResult parse, IEventLog log, CancellationToken cancellationToken)
    {
        var consumer = parse.GetValue(Consumer);
        if (consumer is not null)
            await CommandRunner.RequireConsumerAsync(log, consumer, cancellationToken).ConfigureAwait(false);
        var type = parse.GetValue(Type);
        if (type is not null && string.IsNullOrWhiteSpace(type))
            throw new UsageException("--type is empty; give an event type's wire name.");
        return new DeadLetterQuery(consumer, type);
    }

    private static async Task<DeadLetter> GetAsync(IEventLog log, long id, CancellationToken cancellationToken)
        => await log.DeadLetters.GetAsync(id, cancellationToken).ConfigureAwait(false)
           ?? throw new OperatorException($"No dead letter with id {id} in this log; 'herald dead-letters list' shows the ids.");

    private static string Describe(DeadLetterQuery filter)
        => (filter.Consumer, filter.Type) switch
        {
            (null, null) => string.Empty,
            ({ } c, null) => $" of consumer {c}",
            (null, { } t) => $" of type {t}",
            ({ } c, { } t) => $" of consumer {c} and type {t}",
        };

    // Spectre's task takes the count replayed so far.
    private sealed class Progress(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
