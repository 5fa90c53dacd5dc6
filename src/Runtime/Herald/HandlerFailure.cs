namespace Herald;

/// <summary>One inline handler's failure during a publish.</summary>
/// <param name="Handler">The handler, as <c>Namespace.Type.Method</c>.</param>
/// <param name="Exception">What the handler threw.</param>
public sealed record HandlerFailure(string Handler, Exception Exception);
