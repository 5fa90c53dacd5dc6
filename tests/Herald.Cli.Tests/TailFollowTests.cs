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
        Assert.True(OnPath("env"), "This test starts the terminal with 'env --default-signal' (GNU coreutils 8.31 or later): install coreutils.");
        var folder = logs.CopyBroken();
        // From a time before the append, so the event is shown however the tool's start and the append interleave.
        var from = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        // A fixed terminal size, so the screen is what a person with a 160-column terminal sees.
        var command = $"stty cols 160 rows 50; exec '{herald.Command}' tail --follow --from {from} --key SKU-9 --sqlite orders.db";
        // A terminal emulator starts its session with SIGINT and SIGQUIT at their defaults; this test host may not have
        // them so. A job that a non-interactive shell starts in the background (`.ci/run &`) ignores both, every child
        // inherits that, and a program started with SIGINT ignored keeps ignoring it (.NET's PosixSignalRegistration
        // leaves it so, as every Unix program does): Ctrl+C then did nothing and this test hung in CI. env resets them.
        var start = Processes.StartInfo("env", ["--default-signal=INT,QUIT", "script", "--quiet", "--return", "--command", command, "/dev/null"], folder);
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
        // The whole envelope, closing brace included: Ctrl+C makes the terminal discard output it has not passed on yet.
        var shown = await screen.WaitForAsync(text => Visible(text).Contains("\"note\": \"appended while tailing\"\n}", StringComparison.Ordinal), Wait);

        // herald printed, so it is in its loop with its handlers registered (they come first in Program.cs). Ctrl+C
        // reaches it only if it catches SIGINT and is the terminal's foreground process group: say which is not so.
        var tool = StateOfTool(process.Id);
        Assert.True(tool.CatchesInterrupt && tool.InForeground, $"herald cannot get Ctrl+C from its terminal: {tool}");

        await process.StandardInput.WriteAsync('\u0003'); // Ctrl+C, through the terminal
        await process.StandardInput.FlushAsync();
        using (var timeout = new CancellationTokenSource(Wait))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                var state = StateOfTool(process.Id).ToString();
                process.Kill(entireProcessTree: true);
                Assert.Fail($"herald did not exit within {Wait} of Ctrl+C: {state}");
            }
        }

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

    [Fact]
    public async Task TailFollow_StartedWithSigintIgnored_StopsOnSigterm()
    {
        // A background job of a non-interactive shell (`herald tail --follow ... &` in a script) starts with SIGINT
        // ignored and keeps it so, as every program does: SIGTERM (what kill, systemd and container runtimes send) is how
        // it is stopped, and it ends --follow as Ctrl+C does.
        var folder = logs.CopyBroken();
        var start = Processes.StartInfo("env", ["--ignore-signal=INT", herald.Command, "tail", "--follow", "--json", "--key", "SKU-2", "--sqlite", "orders.db"], folder);
        using var process = Process.Start(start)!;
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(Wait);
        Assert.Contains("\"partitionKey\":\"SKU-2\"", first, StringComparison.Ordinal);
        var tool = StateOf(process.Id);
        Assert.True(tool.IgnoresInterrupt, $"env --ignore-signal=INT did not hand herald an ignored SIGINT: {tool}");

        var kill = await Processes.RunAsync(Processes.StartInfo("kill", ["-TERM", $"{process.Id}"], folder));
        Assert.True(kill.ExitCode == 0, kill.ToString());
        using (var timeout = new CancellationTokenSource(Wait))
            await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>What the kernel says about herald, the one child of <c>script</c>: its signal dispositions and terminal.</summary>
    private static ToolState StateOfTool(int script)
    {
        var children = File.ReadAllText($"/proc/{script}/task/{script}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return StateOf(int.Parse(Assert.Single(children), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The signal dispositions and the terminal of the process <paramref name="pid"/>.</summary>
    private static ToolState StateOf(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        // /proc/PID/stat: "pid (comm) state ppid pgrp session tty_nr tpgid ..."; comm may hold spaces, so count from ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new ToolState(pid, status["State"], status["SigIgn"], status["SigCgt"], status["SigPnd"], status["ShdPnd"], long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[5], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record ToolState(int Pid, string State, string SigIgn, string SigCgt, string SigPnd, string ShdPnd, long ProcessGroup, long TerminalForegroundGroup)
    {
        private const ulong Interrupt = 1UL << (2 - 1); // SIGINT is 2; bit n-1 of the masks

        public bool CatchesInterrupt => (ulong.Parse(SigCgt, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & Interrupt) != 0;

        public bool IgnoresInterrupt => (ulong.Parse(SigIgn, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & Interrupt) != 0;

        public bool InForeground => ProcessGroup == TerminalForegroundGroup;

        public override string ToString()
            => $"pid {Pid} ({State}); SIGINT {(CatchesInterrupt ? "caught" : IgnoresInterrupt ? "IGNORED" : "not caught")} (SigIgn {SigIgn}, SigCgt {SigCgt}, " +
               $"pending {SigPnd}/{ShdPnd}); process group {ProcessGroup}, the terminal's foreground group {TerminalForegroundGroup}" +
               (InForeground ? string.Empty : " (NOT in the foreground)");
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
