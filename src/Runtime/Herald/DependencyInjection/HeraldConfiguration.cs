using System.Globalization;
using Herald.Durable;
using Herald.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Herald;

/// <summary>Reads <see cref="HeraldOptions"/> from configuration without reflection (AOT-safe), with clear errors.</summary>
internal static class HeraldConfiguration
{
    public static void Apply(HeraldOptions options, IConfiguration section)
    {
        if (section["LogEvents"] is { } logEvents)
            options.LogEvents = ParseBool(logEvents, "LogEvents");
        if (section["FailurePolicy"] is { } policy)
            options.FailurePolicy = Enum.TryParse<FailurePolicy>(policy, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw Invalid("FailurePolicy", policy, "RunAll or StopOnFirst");
        if (section["MaxPayloadBytes"] is { } maxPayload)
            options.MaxPayloadBytes = int.TryParse(maxPayload, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes > 0
                ? bytes
                : throw Invalid("MaxPayloadBytes", maxPayload, "a positive number of bytes");
        if (section["DeadLetterFile"] is { } deadLetterFile)
            options.DeadLetterFile = deadLetterFile;
        if (section["Partitions"] is { } partitions)
            options.Partitions = int.TryParse(partitions, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= Partitioning.MaxPartitions
                ? count
                : throw Invalid("Partitions", partitions, $"a whole number from 1 to {Partitioning.MaxPartitions}");
        if (section["InstanceId"] is { } instanceId)
            options.InstanceId = instanceId;
        if (section["Retention:MaxAge"] is { } maxAge)
            options.Retention.MaxAge = TimeSpan.TryParse(maxAge, CultureInfo.InvariantCulture, out var age) && age >= TimeSpan.Zero
                ? age
                : throw Invalid("Retention:MaxAge", maxAge, "a time span such as 7.00:00:00 (7 days) or 12:00:00 (12 hours)");
        if (section["Retention:MaxEvents"] is { } maxEvents)
            options.Retention.MaxEvents = long.TryParse(maxEvents, NumberStyles.Integer, CultureInfo.InvariantCulture, out var events) && events >= 0
                ? events
                : throw Invalid("Retention:MaxEvents", maxEvents, "a whole number of events, 0 or more");
        if (section["RetentionInterval"] is { } interval)
            options.RetentionInterval = TimeSpan.TryParse(interval, CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero
                ? every
                : throw Invalid("RetentionInterval", interval, "a positive time span such as 00:10:00 (10 minutes)");

        var transport = section["Transport"];
        if (string.IsNullOrWhiteSpace(transport) || string.Equals(transport, InMemoryEventLog.TransportName, StringComparison.OrdinalIgnoreCase))
        {
            options.UseInMemory();
            return;
        }
        if (!HeraldRegistry.Transports.TryGetValue(transport, out var configureTransport))
        {
            var known = string.Join(", ", new[] { InMemoryEventLog.TransportName }.Concat(HeraldRegistry.Transports.Keys).Order(StringComparer.Ordinal));
            throw new InvalidOperationException(
                $"Herald:Transport is '{transport}', but no such transport is available to this app. Known: {known}. " +
                $"Reference the transport's package (for example Herald.{transport}) from the app project, or fix the setting.");
        }
        configureTransport(options, section.GetSection(transport));
    }

    private static bool ParseBool(string value, string key)
        => bool.TryParse(value, out var parsed) ? parsed : throw Invalid(key, value, "true or false");

    private static InvalidOperationException Invalid(string key, string value, string expected)
        => new($"Herald:{key} is '{value}'; expected {expected}.");
}
