namespace Herald.Generator.Model
{
    /// <summary>An <c>IEventBus.Publish</c> or <c>PublishAsync</c> call whose event type generated code can name.</summary>
    /// <param name="Event">The event type the call publishes (its <c>TEvent</c>).</param>
    /// <param name="IsAsync">A <c>PublishAsync</c> call.</param>
    /// <param name="Location">Where an interceptor can replace the call; null when it cannot be intercepted (it
    /// then keeps the per-event slot).</param>
    internal sealed record PublishSiteSpec(EventTypeSpec Event, bool IsAsync, InterceptableSiteSpec? Location);

    /// <summary>
    /// The arguments of an <c>[InterceptsLocation]</c> that refers to one call, as the compiler encodes them, and a
    /// readable position for the generated comment. The data holds a checksum of the call's file, so any edit of that
    /// file changes it (and only that file's sites).
    /// </summary>
    /// <param name="Version">The encoding's version.</param>
    /// <param name="Data">The encoded location (checksum, position, file name).</param>
    /// <param name="DisplayLocation"><c>File.cs(line,column)</c>.</param>
    /// <param name="FilePath">The call's file: with <paramref name="Position"/>, the order interceptors are written in.</param>
    /// <param name="Position">The call's offset in its file.</param>
    internal sealed record InterceptableSiteSpec(int Version, string Data, string DisplayLocation, string FilePath, int Position);
}
