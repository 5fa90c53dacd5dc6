using System.Diagnostics;
using System.Globalization;

namespace Herald.Durable.Tests;

/// <summary>
/// A child process running tests/Herald.Durable.CrashApp in <c>group</c> mode: one member of consumer group "group" on a
/// SQLite file. Its lines are collected as they arrive; it can be stopped gracefully, killed (SIGKILL), paused
/// (SIGSTOP) and resumed (SIGCONT).
/// </summary>
public sealed class GroupMemberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Task _reading;

    private GroupMemberProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(ReadAsync);
        _ = Task.Run(async () => await process.StandardError.ReadToEndAsync());
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a member on <paramref name="database"/> and waits until it runs.</summary>
    public static async Task<GroupMemberProcess> StartAsync(string database, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = CrashApp.StartInfo(["group", database], environment);
        start.RedirectStandardInput = true;
        var member = new GroupMemberProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the group member"));
        await member.WaitForLineAsync(l => l.StartsWith("started ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        return member;
    }

    /// <summary>Every line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
                return [.. _lines];
        }
    }

    /// <summary>The events this member handled, in the order it handled them.</summary>
    public IReadOnlyList<Handled> HandledEvents => [.. Lines.Where(l => l.StartsWith("h ", StringComparison.Ordinal)).Select(Handled.Parse)];

    /// <summary>The partitions it owned at its last report; empty before the first.</summary>
    public IReadOnlyList<int> Owned
    {
        get
        {
            var last = Lines.LastOrDefault(l => l.StartsWith("owns [", StringComparison.Ordinal));
            return last is null or "owns []" ? [] : [.. last[6..^1].Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        }
    }

    /// <summary>Completes with the first line (already read or to come) that <paramref name="match"/> accepts.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource<string> found;
        lock (_gate)
        {
            var seen = _lines.FirstOrDefault(match);
            if (seen is not null)
                return seen;
            found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, found));
        }
        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Member {ProcessId} printed no matching line within {timeout}; last lines: {string.Join(" | ", Lines.TakeLast(5))}");
        }
    }

    /// <summary>Asks the member to stop (it commits and releases its partitions) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        await _process.StandardInput.FlushAsync();
        await WaitForLineAsync(l => l == "stopped", TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await _reading;
    }

    /// <summary>Kills the process with SIGKILL: no commit, no release.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _reading;
    }

    /// <summary>Freezes the process (SIGSTOP), as a long GC pause or a stopped VM would.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>Lets a paused process run again (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", ProcessId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -{signal} {ProcessId} failed with exit code {kill.ExitCode}.");
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToArray())
                {
                    waiter.Found.TrySetResult(line);
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    /// <summary>One delivery as the member recorded it.</summary>
    public sealed record Handled(int ProcessId, int Partition, long Position, string Key, int Sequence, long StartTicks, long EndTicks)
    {
        public static Handled Parse(string line)
        {
            var parts = line.Split(' ');
            return new Handled(
                int.Parse(parts[1], CultureInfo.InvariantCulture),
                int.Parse(parts[2], CultureInfo.InvariantCulture),
                long.Parse(parts[3], CultureInfo.InvariantCulture),
                parts[4],
                int.Parse(parts[5], CultureInfo.InvariantCulture),
                long.Parse(parts[6], CultureInfo.InvariantCulture),
                long.Parse(parts[7], CultureInfo.InvariantCulture));
        }
    }
}
