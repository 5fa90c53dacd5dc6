namespace Herald.Tests.Support;

/// <summary>A dependency of scoped and transient handlers: tells whether its scope was disposed.</summary>
public sealed class DisposalProbe : IDisposable
{
    public bool IsDisposed { get; private set; }

    public void Dispose() => IsDisposed = true;
}
