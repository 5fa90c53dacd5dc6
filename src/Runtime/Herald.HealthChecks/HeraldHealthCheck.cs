using System.Globalization;
using Herald.Durable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.HealthChecks;

/// <summary>
/// The health of Herald's durable side in this app: unhealthy when one of its durable consumers is stopped (the
/// consumers are not running) or behind retention in a partition (its offset is before the partition's first retained
/// event: it handles nothing there until an operator moves it), or when the log writer wrote to its dead-letter file
/// within <see cref="HeraldHealthCheckOptions.AppendDeadLetterWindow"/> (appends are failing); degraded when a
/// consumer's lag in a partition is above its threshold; healthy otherwise. The description says what is wrong in
/// words; the data has one entry per problem, keyed <c>consumer/partition</c>.
/// </summary>
/// <remarks>
/// Made to run every few seconds: one bounds query, one offsets query per consumer, and one file stat; nothing scans
/// events or dead letters. A partition worker never faults (it logs, waits and reads again), so "stopped" is the
/// consumers' host: not started, or stopped while the app still answers.
/// </remarks>
internal sealed class HeraldHealthCheck(IServiceProvider services, HeraldHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var consumers = DurableConsumers.Names.Order(StringComparer.Ordinal).ToArray();
        var admin = services.GetRequiredService<DurableLogAdmin>();

        if (consumers.Length > 0 && !services.GetRequiredService<DurableConsumers>().IsRunning)
        {
            unhealthy.Add($"the durable consumers are not running ({string.Join(", ", consumers)}): the host is stopped or was never started");
            data["consumers"] = "not running";
        }

        if (admin.AppendDeadLetterFile is { } file && File.Exists(file))
        {
            var written = new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
            if (TimeProvider.System.GetUtcNow() - written <= options.AppendDeadLetterWindow)
            {
                var at = written.ToString("u", CultureInfo.InvariantCulture);
                unhealthy.Add($"appends are being dead-lettered: the log writer could not append events and wrote them to {file} (last at {at})");
                data["appendDeadLetters"] = $"{file}, last written {at}";
            }
        }

        if (consumers.Length > 0)
        {
            var bounds = await admin.Log.Stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var consumer in consumers)
            {
                var offsets = (await admin.Log.Checkpoints.GetOffsetsAsync(consumer, cancellationToken).ConfigureAwait(false))
                    .ToDictionary(o => o.Partition, o => o.Position);
                var threshold = options.DegradedLagFor(consumer);
                foreach (var partition in bounds)
                {
                    var committed = offsets.TryGetValue(partition.Partition, out var position) ? position : (long?)null;
                    var key = string.Create(CultureInfo.InvariantCulture, $"{consumer}/{partition.Partition}");
                    if (committed is { } offset && offset < partition.First - 1)
                    {
                        unhealthy.Add(string.Create(CultureInfo.InvariantCulture,
                            $"consumer '{consumer}' is behind retention in partition {partition.Partition}: its offset {offset} is before the first retained position {partition.First}; move it (herald offsets set {consumer} --earliest)"));
                        data[key] = string.Create(CultureInfo.InvariantCulture, $"behind retention: offset {offset}, first retained {partition.First}");
                        continue;
                    }
                    var lag = Math.Max(0, partition.Last - (committed ?? partition.First - 1));
                    if (lag > threshold)
                    {
                        degraded.Add(string.Create(CultureInfo.InvariantCulture,
                            $"consumer '{consumer}' lags {lag} events in partition {partition.Partition} (offset {committed?.ToString(CultureInfo.InvariantCulture) ?? "none"}, last {partition.Last}; degraded above {threshold})"));
                        data[key] = string.Create(CultureInfo.InvariantCulture, $"lag {lag} (offset {committed?.ToString(CultureInfo.InvariantCulture) ?? "none"}, last {partition.Last})");
                    }
                }
            }
        }

        if (unhealthy.Count > 0)
            return new HealthCheckResult(context.Registration.FailureStatus, Sentence(unhealthy.Concat(degraded)), data: data);
        if (degraded.Count > 0)
            return HealthCheckResult.Degraded(Sentence(degraded), data: data);
        return HealthCheckResult.Healthy(consumers.Length == 0
            ? "Herald: no durable consumers in this app; the log writer appends"
            : $"Herald: consumers {string.Join(", ", consumers)} are running and keep up");
    }

    private static string Sentence(IEnumerable<string> problems) => "Herald: " + string.Join("; ", problems) + ".";
}
