using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite.Storage;

/// <summary>
/// One connection of the log's pool with its commands, kept so that each statement is prepared once per connection.
/// Used by one caller at a time (the pool hands it out).
/// </summary>
internal sealed class LogConnection(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>True while a transaction is open on the connection (whoever opened it).</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>The connection failed in a way that makes it unfit for reuse; the pool closes it.</summary>
    public bool Broken { get; set; }

    /// <summary>The command for <paramref name="sql"/>, parameters cleared, enlisted in <paramref name="transaction"/>.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
        Connection.Dispose();
    }
}
