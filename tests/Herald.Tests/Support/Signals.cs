namespace Herald.Tests.Support;

/// <summary>How long a test waits for a signal before it fails: generous, since it is only reached on a hang.</summary>
internal static class Signals
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
}
