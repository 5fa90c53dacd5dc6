namespace Herald.Tests.AsyncHandlers;

/// <summary>A synchronous handler and two asynchronous ones.</summary>
public sealed record ThumbnailRequested(CallTrace Trace);

/// <summary>Handled asynchronously through its interface.</summary>
public interface IMediaEvent
{
    CallTrace Trace { get; }
}

/// <summary>Its own handler is synchronous; the handler of its interface is not.</summary>
public sealed record VideoUploaded(CallTrace Trace) : IMediaEvent;

/// <summary>Three handlers that return a task or nothing, all completing synchronously.</summary>
public sealed record PriceQuoted(CallTrace Trace);

/// <summary>A handler that waits for the test's signal, between synchronous and asynchronous handlers.</summary>
public sealed record QuoteApproved(CallTrace Trace);
