namespace Herald.AotSmoke;

/// <summary>What the handlers saw, in the order they ran. One per service provider.</summary>
public sealed class Journal
{
    private readonly List<string> _entries = [];
    private readonly Lock _gate = new();

    public void Add(string entry)
    {
        lock (_gate)
            _entries.Add(entry);
    }

    public string[] Take()
    {
        lock (_gate)
        {
            var entries = _entries.ToArray();
            _entries.Clear();
            return entries;
        }
    }
}

/// <summary>
/// Holds the asynchronous handler until the smoke test opens it, so the test can see a publish still running
/// without depending on thread timing. Open unless closed.
/// </summary>
public sealed class HandlerGate
{
    private TaskCompletionSource _opened = NewOpened();

    public Task WaitAsync() => Volatile.Read(ref _opened).Task;

    public void Close() => Volatile.Write(ref _opened, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open() => Volatile.Read(ref _opened).TrySetResult();

    private static TaskCompletionSource NewOpened()
    {
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        opened.SetResult();
        return opened;
    }
}

/// <summary>A static handler: no instance, no service provider.</summary>
public static class PingStatics
{
    public static int Count;
    public static int LastNumber;

    [Subscribe(Order = -1)]
    public static void OnPing(Ping e)
    {
        Count++;
        LastNumber = e.Number;
    }
}

/// <summary>An instance handler, resolved by the bus (a singleton registered by AddHerald).</summary>
public sealed class PingCounter
{
    public int Count { get; private set; }

    public int LastNumber { get; private set; }

    [Subscribe]
    public void OnPing(Ping e)
    {
        Count++;
        LastNumber = e.Number;
    }
}

/// <summary>An instance handler with a constructor dependency and an asynchronous handler.</summary>
public sealed class OrderProjection(Journal journal, HandlerGate gate)
{
    [Subscribe]
    public async Task OnOrderPlacedAsync(OrderPlaced e, CancellationToken cancellationToken)
    {
        // While the gate is closed the publish goes through the async continuation path.
        await gate.WaitAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        journal.Add($"projection:{e.Sku}");
    }

    [Subscribe]
    public void OnUserRenamed(UserRenamed e) => journal.Add($"renamed:{e.Name}");
}

/// <summary>An interface handler: it runs for every event that implements <see cref="IAuditable"/>, after the
/// lower-Order handlers.</summary>
public sealed class AuditTrail(Journal journal)
{
    [Subscribe(Order = 10)]
    public void OnAuditable(IAuditable e) => journal.Add($"audit:{e.Subject}");
}

/// <summary>Handlers of <see cref="Faulty"/>: the first and the last throw, the middle one records.</summary>
public sealed class FaultyHandlers(Journal journal)
{
    [Subscribe(Order = 1)]
    public void First(Faulty e) => throw new InvalidOperationException($"first failed on {e.Id}");

    [Subscribe(Order = 2)]
    public void Second(Faulty e) => journal.Add($"second:{e.Id}");

    [Subscribe(Order = 3)]
    public static void Third(Faulty e) => throw new ArgumentException($"third failed on {e.Id}");
}
