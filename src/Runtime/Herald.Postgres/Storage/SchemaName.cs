namespace Herald.Postgres.Storage;

/// <summary>
/// The schema that holds the log's tables, from configuration: checked against a plain identifier pattern (a letter
/// or underscore, then letters, digits or underscores, at most <see cref="MaxLength"/> characters) and always used
/// quoted, so a name from configuration is never pasted into SQL as it came. The limit keeps the notification channel
/// (<c>&lt;schema&gt;_appended</c>) within PostgreSQL's 63-byte identifiers.
/// </summary>
internal static class SchemaName
{
    public const int MaxLength = 48;

    public const string Default = "herald";

    /// <summary>Checks <paramref name="schema"/>; the exception says what is wrong and what is accepted.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, or has a character other than a-z, A-Z, 0-9, _.</exception>
    public static string Validate(string? schema, string parameterName)
    {
        if (string.IsNullOrEmpty(schema))
            throw new ArgumentException("The PostgreSQL schema name is empty: set it to a name such as 'herald', or leave it unset for the default.", parameterName);
        if (schema.Length > MaxLength)
            throw new ArgumentException($"The PostgreSQL schema name is {schema.Length} characters long; at most {MaxLength} are accepted.", parameterName);
        var first = schema[0];
        var valid = (char.IsAsciiLetter(first) || first == '_') && schema.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!valid)
            throw new ArgumentException(
                $"The PostgreSQL schema name '{Printable(schema)}' is not accepted: use a letter or '_' first, then letters, digits or '_' " +
                "(for example herald or orders_events).", parameterName);
        if (schema.StartsWith("pg_", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The PostgreSQL schema name '{schema}' starts with 'pg_', which PostgreSQL reserves for its own schemas.", parameterName);
        return schema;
    }

    /// <summary>The name as a quoted identifier (the name was validated, so it holds no quote to double).</summary>
    public static string Quote(string schema) => "\"" + schema + "\"";

    private static string Printable(string text)
        => new([.. text.Take(MaxLength + 8).Select(c => char.IsControl(c) ? '?' : c)]);
}
