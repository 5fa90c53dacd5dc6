using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Herald.Cli;

/// <summary>
/// Where a command writes: tables and coloured text for a person at a terminal, or one JSON document (JSON Lines for
/// <c>tail</c>) with <c>--json</c>. No colour or cursor control when the output is redirected or <c>NO_COLOR</c> is set.
/// </summary>
internal sealed class Output
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public Output(bool json)
    {
        Json = json;
        var plain = Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Console.OutputEncoding = Encoding.UTF8;
        Terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected)
            Terminal.Profile.Width = 200; // a file or a pipe has no width: do not wrap tables at 80
    }

    /// <summary>--json: write JSON for scripts instead of tables.</summary>
    public bool Json { get; }

    /// <summary>The console for people (tables, markup).</summary>
    public IAnsiConsole Terminal { get; }

    /// <summary>Whether a progress bar can be shown (a terminal, not --json).</summary>
    public bool CanShowProgress => !Json && !Console.IsOutputRedirected;

    /// <summary>Writes one indented JSON document and a newline to standard output.</summary>
    public void WriteJson(Action<Utf8JsonWriter> write) => WriteJson(write, Indented);

    /// <summary>Writes one JSON document on one line (JSON Lines), flushed at once so a reader sees it as it arrives.</summary>
    public void WriteJsonLine(Action<Utf8JsonWriter> write) => WriteJson(write, default);

    private void WriteJson(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        if (!Json)
            throw new InvalidOperationException("JSON is written only with --json; a person gets tables.");
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options))
            write(writer);
        buffer.WriteByte((byte)'\n');
        using var stdout = Console.OpenStandardOutput();
        stdout.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        stdout.Flush();
    }

    /// <summary>A time as herald shows it to people: UTC, to the millisecond.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as herald writes it in JSON: ISO 8601, UTC.</summary>
    public static string JsonTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Asks a yes/no question on standard error and reads the answer from standard input (so a script can pipe "y").</summary>
    public static bool Confirm(string question, bool yes)
    {
        if (yes)
            return true;
        Console.Error.Write($"{question} [y/N] ");
        Console.Error.Flush();
        var answer = Console.In.ReadLine()?.Trim();
        if (Console.IsInputRedirected)
            Console.Error.WriteLine(); // a piped answer is not echoed: end the question's line
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
