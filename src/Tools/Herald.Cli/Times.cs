using System.Globalization;

namespace Herald.Cli;

/// <summary>Times on the command line: ISO 8601 (<c>2026-12-01T10:00:00Z</c>, <c>2026-12-01 10:00</c>), UTC unless an offset is given.</summary>
internal static class Times
{
    public static bool TryParse(string text, out DateTimeOffset time)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out time);
}
