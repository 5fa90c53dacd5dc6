using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Herald.Cli.Tests.Support;
using Herald.Durable;
using Herald.Sqlite;

namespace Herald.Cli.Tests;

/// <summary>
/// <c>herald tail --follow</c> in a terminal, as a person runs it: under a pseudo-terminal (<c>script</c> from util-linux),
/// an event appended by another process appears on the screen, pretty-printed and coloured, and Ctrl+C ends it with 0.
/// </summary>
[Collection(ToolCollection.Name)]
public sealed partial class TailFollowTests(InstalledTool herald, SampleLogs logs)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TailFollow_InATerminal_ShowsAnEventAppendedMeanwhile_AndStopsOnCtrlC()
    {
        Assert.True(OnPath("script"), "This test runs herald under a pseudo-terminal with 'script' (util-linux; Debian's bsdutils package): install it.");
        var folder = logs.CopyBroken();
        // From a time before the append, so the event is shown however the tool's start and the append interleave.
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        // A fixed terminal size, so the screen is what a person with a 160-column terminal sees.
        var command = $"stty cols 160 rows 50; exec '{herald.Command}' tail --follow --from {from} --key SKU-9 --sqlite orders.db";
        var start = Processes.StartInfo("script", ["--quiet", "--return", "--command", command, "/dev/null"], folder);
        start.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(start)!;
        var screen = new Screen(process.StandardOutput);

        var id = Guid.CreateVersion7();
        LogPosition appended;
        await using (var log = new SqliteEventLog($"Data Source={Path.Combine(folder, "orders.db")}"))
        {
            var payload = """{"orderId":"0193a6f2-0000-7000-8000-000000000009","sku":"SKU-9","quantity":9,"note":"appended while tailing"}"""u8.ToArray();
            appended = (await log.Stream.AppendAsync([new EventEnvelope(id, "orders.created", 1, DateTimeOffset.UtcNow, "SKU-9", null, payload)], CancellationToken.None))[0];
        }
        var shown = await screen.WaitForAsync(text => Visible(text).Contains("\"note\": \"appended while tailing\"", StringComparison.Ordinal), Wait);

        await process.StandardInput.WriteAsync('\u0003'); // Ctrl+C, through the terminal
        await process.StandardInput.FlushAsync();
        using (var timeout = new CancellationTokenSource(Wait))
            await process.WaitForExitAsync(timeout.Token);

        var lines = Visible(shown).Split('\n').Select(l => l.TrimEnd()).ToList();
        var heading = Assert.Single(lines, l => l.Contains("orders.created", StringComparison.Ordinal));
        Assert.Matches($@"^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{{3}}Z  orders\.created v1  p{appended.Partition}/{appended.Position}  key=SKU-9  id={id}$", heading);
        var payloadStart = lines.IndexOf("{");
        Assert.Equal(
            ["{", "  \"orderId\": \"0193a6f2-0000-7000-8000-000000000009\",", "  \"sku\": \"SKU-9\",", "  \"quantity\": 9,", "  \"note\": \"appended while tailing\"", "}"],
            lines.Skip(payloadStart).Take(6));
        Assert.Contains("\u001b[", shown, StringComparison.Ordinal); // a terminal gets colour
        Assert.Equal(0, process.ExitCode);
    }

    private static bool OnPath(string command)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, command)));

    // What a person sees: the text without terminal control sequences and carriage returns.
    private static string Visible(string raw) => ControlSequence().Replace(raw, string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[=>()][0-9A-Za-z]?)")]
    private static partial Regex ControlSequence();

    /// <summary>Everything the terminal received so far; waits on each arrival, never by sleeping.</summary>
    private sealed class Screen
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Screen(StreamReader output) => _ = PumpAsync(output);

        public async Task<string> WaitForAsync(Func<string, bool> done, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                Task changed;
                string text;
                lock (_gate)
                {
                    text = _text.ToString();
                    changed = _changed.Task;
                }
                if (done(text))
                    return text;
                try
                {
                    await changed.WaitAsync(cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"The terminal did not show what was expected within {timeout}; it shows:\n{Visible(text)}");
                }
            }
        }

        private async Task PumpAsync(StreamReader output)
        {
            var buffer = new char[4096];
            while (true)
            {
                var read = await output.ReadAsync(buffer);
                lock (_gate)
                {
                    if (read > 0)
                        _text.Append(buffer, 0, read);
                    var changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed.SetResult();
                }
                if (read == 0)
                    return;
            }
        }
    }
}
