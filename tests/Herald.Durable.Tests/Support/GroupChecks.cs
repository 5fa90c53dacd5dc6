namespace Herald.Durable.Tests;

/// <summary>
/// The waits and checks of the group scenarios, shared by every transport's GroupScenarioTests (linked into the
/// PostgreSQL and Redis test projects like <see cref="GroupMemberProcess"/>).
/// </summary>
public static class GroupChecks
{
    /// <summary>How long a scenario waits for anything before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>The events <paramref name="member"/> has handled so far.</summary>
    public static int HandledCount(GroupMemberProcess member) => member.Lines.Count(l => l.StartsWith("h ", StringComparison.Ordinal));

    /// <summary>Waits until the running members own the 8 partitions between them, as evenly as their count allows.</summary>
    public static async Task WaitBalancedAsync(IReadOnlyList<GroupMemberProcess> members)
        => await WaitUntilAsync(() =>
        {
            var counts = members.Select(m => m.Owned.Count).ToArray();
            return members.SelectMany(m => m.Owned).Distinct().Count() == 8 && counts.Sum() == 8 && counts.Max() - counts.Min() <= 1;
        });

    /// <summary>Waits (checking every 10 ms, up to <see cref="Patience"/>) until <paramref name="condition"/> holds; returns when it did.</summary>
    public static async Task<DateTime> WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(10, timeout.Token);
        return DateTime.UtcNow;
    }

    /// <summary>Every key's events were started in sequence order, whichever process handled them.</summary>
    public static void AssertOrderPerKey(IReadOnlyList<GroupMemberProcess.Handled> handled)
    {
        foreach (var key in handled.GroupBy(h => h.Key))
        {
            var inTime = key.OrderBy(h => h.StartTicks).Select(h => h.Sequence).ToList();
            Assert.Equal(inTime.Order(), inTime);
        }
    }

    /// <summary>No partition was ever handled by two processes at once.</summary>
    public static void AssertNoPartitionHandledByTwoAtOnce(IReadOnlyList<GroupMemberProcess.Handled> handled)
    {
        foreach (var partition in handled.GroupBy(h => h.Partition))
        {
            var inTime = partition.OrderBy(h => h.StartTicks).ToList();
            for (var i = 1; i < inTime.Count; i++)
            {
                if (inTime[i].ProcessId != inTime[i - 1].ProcessId)
                    Assert.True(inTime[i].StartTicks >= inTime[i - 1].EndTicks,
                        $"Partition {partition.Key}: process {inTime[i].ProcessId} started position {inTime[i].Position} before process {inTime[i - 1].ProcessId} finished position {inTime[i - 1].Position}.");
            }
        }
    }
}
