namespace Herald.Durable.CrashApp;

[Event("crash.ledger-entry-posted")]
public sealed record LedgerEntryPosted(Guid EntryId, int Sequence);

/// <summary>
/// Where the consume mode's handlers kill the process, and the file of applications the "tally" handler appends to
/// (null: none), the ledger of a handler with no transaction, outside the log, that a test can count.
/// </summary>
public sealed record LedgerSettings(int KillAt, string KillIn, string? AppliedFile = null);

/// <summary>
/// Writes one ledger row per event in the log's own transaction (any ADO.NET store: SQLite, PostgreSQL), so the row
/// commits with the inbox mark. On a log without transactions it only prints.
/// </summary>
public sealed class Ledger(LedgerSettings settings)
{
    [Subscribe(Consumer = "ledger")]
    public async Task Post(LedgerEntryPosted e, CancellationToken ct)
    {
        if (await DurableContext.Current!.GetTransactionAsync(ct) is { } transaction)
        {
            await using var insert = transaction.Connection!.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO ledger (event_id, sequence) VALUES (@id, @sequence)";
            Add(insert, "@id", e.EntryId.ToString());
            Add(insert, "@sequence", e.Sequence);
            await insert.ExecuteNonQueryAsync(ct);
        }
        Console.WriteLine($"handled {e.Sequence}");
        if (e.Sequence == settings.KillAt && settings.KillIn == "ledger")
            System.Diagnostics.Process.GetCurrentProcess().Kill(); // dies here: the row and the inbox mark are never committed
    }

    private static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>
/// Counts events without touching the log's transaction: its marks wait for its batch's commit. With
/// <see cref="LedgerSettings.AppliedFile"/> it also applies each event to that file (a line "tallied &lt;sequence&gt;",
/// flushed to disk before the handler returns), as a handler writing to a store other than the log does.
/// </summary>
public sealed class Tally(LedgerSettings settings)
{
    [Subscribe(Consumer = "tally")]
    public void Count(LedgerEntryPosted e)
    {
        if (settings.AppliedFile is { } file)
            AppendFlushed(file, $"tallied {e.Sequence}\n");
        Console.WriteLine($"tallied {e.Sequence}");
        if (e.Sequence == settings.KillAt && settings.KillIn == "tally")
            System.Diagnostics.Process.GetCurrentProcess().Kill(); // dies here: the progress since the last commit is lost
    }

    private static void AppendFlushed(string path, string line)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(System.Text.Encoding.UTF8.GetBytes(line));
        file.Flush(flushToDisk: true);
    }
}
