using Herald.Durable;

namespace Herald.Testing;

/// <summary>The harness's <see cref="PublishObserver"/>: forwards to the harness.</summary>
internal sealed class HarnessPublishObserver(HeraldTestHarness harness) : PublishObserver
{
    public override void OnPublishing(object published) => harness.OnPublishing(published);

    public override void OnPublished(object published, Exception? exception) => harness.OnPublished(published, exception);
}

/// <summary>The harness's <see cref="DurableObserver"/>: forwards to the harness.</summary>
internal sealed class HarnessDurableObserver(HeraldTestHarness harness) : DurableObserver
{
    public override void OnPublished(EventEnvelope envelope, bool enlisted) => harness.OnDurablePublished(envelope, enlisted);

    public override void OnAppended(IReadOnlyList<EventEnvelope> envelopes) => harness.OnAppended(envelopes);

    public override void OnAppendDeadLettered(IReadOnlyList<EventEnvelope> envelopes, string reason, Exception exception, string deadLetterFile)
        => harness.OnAppendDeadLettered(envelopes, reason, exception, deadLetterFile);

    public override void OnHandled(string consumer, EventEnvelope envelope, object received, int attempt)
        => harness.OnHandled(consumer, envelope, received, attempt);

    public override void OnFailed(string consumer, EventEnvelope envelope, object received, int attempt, Exception exception, bool willRetry)
        => harness.OnFailed(consumer, envelope, received, attempt, exception, willRetry);

    public override void OnDeadLettered(string consumer, EventEnvelope envelope, string reason, Exception? exception, int attempts)
        => harness.OnDeadLettered(consumer, envelope, reason, exception, attempts);

    public override void OnCommitted(string consumer, int partition, long offset) => harness.OnCommitted();
}
