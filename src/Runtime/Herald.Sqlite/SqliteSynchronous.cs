namespace Herald.Sqlite;

/// <summary>How hard SQLite syncs the database file to disk on commit (<c>PRAGMA synchronous</c>).</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// <c>NORMAL</c> (the default): in WAL mode a commit cannot corrupt the database; a power loss or an operating
    /// system crash may roll back the last commits before the next checkpoint. A process crash loses nothing committed.
    /// </summary>
    Normal = 0,

    /// <summary><c>FULL</c>: every commit is synced to disk before it returns; also survives a power loss. Slower.</summary>
    Full = 1,
}
