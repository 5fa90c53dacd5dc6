namespace Herald.AotSmoke;

/// <summary>Handled by a static and an instance handler, all synchronous: sync Publish is allowed.</summary>
public sealed record Ping(int Number);

/// <summary>Anything with a subject; its handler receives every event that implements it.</summary>
public interface IAuditable
{
    string Subject { get; }
}

/// <summary>Has an asynchronous handler (and the interface handler): only PublishAsync can send it.</summary>
public sealed record OrderPlaced(string Sku) : IAuditable
{
    public string Subject => $"order {Sku}";
}

/// <summary>Reaches only synchronous handlers (its own and the interface one).</summary>
public sealed record UserRenamed(string Name) : IAuditable
{
    public string Subject => $"user {Name}";
}

/// <summary>Two of its three handlers throw.</summary>
public sealed record Faulty(int Id);
