namespace Herald.Benchmarks.Peers;

/// <summary>
/// Reads the handler classes' counters, so that the setup can prove that every benchmark runs the handlers it
/// claims to run, each once per publish, and no others.
/// </summary>
internal static class HandlerCounters
{
    public static readonly Func<int>[] Herald =
    [
        () => HeraldHandler1.Count, () => HeraldHandler2.Count, () => HeraldHandler3.Count, () => HeraldHandler4.Count,
        () => HeraldHandler5.Count, () => HeraldHandler6.Count, () => HeraldHandler7.Count, () => HeraldHandler8.Count,
    ];

    public static readonly Func<int>[] Mediator =
    [
        () => MediatorHandler1.Count, () => MediatorHandler2.Count, () => MediatorHandler3.Count, () => MediatorHandler4.Count,
        () => MediatorHandler5.Count, () => MediatorHandler6.Count, () => MediatorHandler7.Count, () => MediatorHandler8.Count,
    ];

    public static readonly Func<int>[] MediatR =
    [
        () => MediatRHandler1.Count, () => MediatRHandler2.Count, () => MediatRHandler3.Count, () => MediatRHandler4.Count,
        () => MediatRHandler5.Count, () => MediatRHandler6.Count, () => MediatRHandler7.Count, () => MediatRHandler8.Count,
    ];

    public static readonly Func<int>[] MassTransit =
    [
        () => MassTransitConsumer1.Count, () => MassTransitConsumer2.Count, () => MassTransitConsumer3.Count,
        () => MassTransitConsumer4.Count, () => MassTransitConsumer5.Count, () => MassTransitConsumer6.Count,
        () => MassTransitConsumer7.Count, () => MassTransitConsumer8.Count,
    ];

    /// <summary>
    /// Runs <paramref name="publish"/> once and throws unless handler classes 1..<paramref name="handlers"/> counted
    /// exactly one call each and the others none.
    /// </summary>
    public static void VerifyOnePublish(string benchmark, Action publish, int handlers, Func<int>[] counters)
    {
        var before = Array.ConvertAll(counters, read => read());
        publish();
        for (var i = 0; i < counters.Length; i++)
        {
            var expected = i < handlers ? 1 : 0;
            var actual = counters[i]() - before[i];
            if (actual != expected)
            {
                throw new InvalidOperationException(
                    $"{benchmark}: handler {i + 1} ran {actual} time(s) in one publish, expected {expected}. " +
                    "The benchmark would not measure what its name says.");
            }
        }
    }
}
