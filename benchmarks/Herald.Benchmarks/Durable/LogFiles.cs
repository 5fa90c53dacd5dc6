using Herald.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Benchmarks.Durable;

/// <summary>SQLite log files for the consumer benchmarks: written once per benchmark, copied per iteration.</summary>
internal static class LogFiles
{
    /// <summary>Writes <paramref name="envelopes"/> to a new log at <paramref name="path"/>, 512 per append.</summary>
    public static void Write(string path, int partitions, IReadOnlyList<EventEnvelope> envelopes)
    {
        var log = new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={path}", Partitions = partitions });
        try
        {
            for (var start = 0; start < envelopes.Count; start += 512)
                log.Stream.AppendAsync(new ArraySegment<EventEnvelope>([.. envelopes], start, Math.Min(512, envelopes.Count - start)), CancellationToken.None)
                    .AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        // One file, no WAL left beside it: a copy is the whole log.
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        checkpoint.ExecuteNonQuery();
    }

    /// <summary>A fresh copy of <paramref name="template"/> in <paramref name="folder"/>.</summary>
    public static string Copy(string template, string folder)
    {
        var copy = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
        File.Copy(template, copy);
        return copy;
    }

    /// <summary>Deletes a log file and what SQLite keeps beside it.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".dead-letters.jsonl" })
            File.Delete(file);
    }
}

/// <summary>HERALD_BENCH_SCALE (0 to 1, default 1) shrinks the benchmarks' data for a dry run in CI.</summary>
internal static class BenchmarkScale
{
    public static int Of(int full)
    {
        var text = Environment.GetEnvironmentVariable("HERALD_BENCH_SCALE");
        var scale = double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 1 ? value : 1;
        return Math.Max(1, (int)(full * scale));
    }
}
