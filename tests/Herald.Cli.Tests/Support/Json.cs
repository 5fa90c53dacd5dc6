using System.Text.Json;

namespace Herald.Cli.Tests.Support;

/// <summary>Reads herald's --json output as a script would.</summary>
public static class Json
{
    public static JsonElement Parse(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"herald failed: {result}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    /// <summary>JSON Lines (tail --json): one document per line.</summary>
    public static IReadOnlyList<JsonElement> Lines(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, $"herald failed: {result}");
        return [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    public static IEnumerable<JsonElement> Items(this JsonElement element, string property) => element.GetProperty(property).EnumerateArray();

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static long Number(this JsonElement element, string property) => element.GetProperty(property).GetInt64();
}
