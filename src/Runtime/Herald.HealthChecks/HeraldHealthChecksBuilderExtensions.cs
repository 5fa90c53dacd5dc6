using Herald.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Herald's health check to an app's health checks.</summary>
public static class HeraldHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the health of Herald's durable side: <paramref name="failureStatus"/> (default unhealthy) when a durable
    /// consumer is stopped or behind retention, or the log writer is dead-lettering appends; degraded when a consumer's
    /// lag in a partition passes <see cref="HeraldHealthCheckOptions.DegradedLag"/>; healthy otherwise. Needs
    /// <c>services.AddHerald(...)</c> in the same collection.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="configure">Sets the thresholds; may be null.</param>
    /// <param name="name">The check's name in the report; default <c>herald</c>.</param>
    /// <param name="failureStatus">The status when something is wrong; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by (for example <c>ready</c>).</param>
    /// <returns>The same builder.</returns>
    public static IHealthChecksBuilder AddHerald(
        this IHealthChecksBuilder builder,
        Action<HeraldHealthCheckOptions>? configure = null,
        string name = "herald",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = new HeraldHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Add(new HealthCheckRegistration(name, services => new HeraldHealthCheck(services, options), failureStatus, tags));
    }
}
