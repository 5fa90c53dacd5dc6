namespace Herald;

/// <summary>
/// Marks a method as a handler of the event type of its first parameter. The Herald source generator
/// turns every such method into an entry of a static dispatch table at build time.
/// </summary>
/// <remarks>
/// <para>Supported signatures: <c>void</c>, <see cref="Task"/> or <see cref="ValueTask"/> returning
/// methods taking <c>(TEvent e)</c> or <c>(TEvent e, CancellationToken ct)</c>, static or instance.
/// Instance handlers live in classes that the service provider resolves.</para>
/// <para>Without <see cref="Consumer"/> the handler is <em>inline</em>: it runs in the publisher's flow, and
/// if the process dies the event is gone for it. With <see cref="Consumer"/> it is <em>durable</em>: delivered
/// from the event log, at least once.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SubscribeAttribute : Attribute
{
    /// <summary>
    /// Position of this handler among the handlers of the same event: lower runs first. Handlers with the
    /// same order keep source order (by file path, then position in the file; handlers of referenced
    /// assemblies come before the current assembly's). Default 0.
    /// </summary>
    public int Order { get; set; }

    /// <summary>
    /// Name of the durable consumer this handler belongs to. When set, the handler is not called inline;
    /// it is delivered from the durable log at least once. Leave unset for an inline handler.
    /// </summary>
    public string? Consumer { get; set; }
}
