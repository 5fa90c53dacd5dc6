using Herald.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Durable.Tests;

/// <summary>The transport is chosen in configuration: the same code runs on the in-memory log and on SQLite.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public void AddHerald_TransportSqliteInConfiguration_UsesTheSqliteLog()
    {
        var database = Path.Combine(Path.GetTempPath(), $"herald-config-{Guid.NewGuid():N}.db");
        var provider = Build(new() { ["Herald:Transport"] = "Sqlite", ["Herald:Sqlite:ConnectionString"] = $"Data Source={database}" });
        try
        {
            Assert.Equal("Sqlite", provider.GetRequiredService<HeraldOptions>().Transport);
            var log = Assert.IsType<SqliteEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);
            Assert.Equal(database, log.DatabasePath);
        }
        finally
        {
            provider.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(database)!, Path.GetFileName(database) + "*"))
                File.Delete(file);
        }
    }

    [Fact]
    public void AddHerald_TransportInMemoryWithLogEvents_UsesTheInMemoryLog()
    {
        using var provider = Build(new() { ["Herald:Transport"] = "InMemory", ["Herald:LogEvents"] = "true" });

        Assert.True(provider.GetRequiredService<HeraldOptions>().LogEvents);
        Assert.IsType<InMemoryEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);
    }

    [Fact]
    public void AddHerald_UnknownTransport_SaysWhichAreAvailableAndHowToAddOne()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Herald:Transport"] = "Kafka" }));

        Assert.Equal(
            "Herald:Transport is 'Kafka', but no such transport is available to this app. Known: InMemory, Sqlite. " +
            "Reference the transport's package (for example Herald.Kafka) from the app project, or fix the setting.",
            error.Message);
    }

    [Fact]
    public void AddHerald_SqliteWithoutConnectionString_NamesTheMissingSetting()
    {
        var error = Assert.ThrowsAny<Exception>(() => Build(new() { ["Herald:Transport"] = "Sqlite" }));

        Assert.Contains("Herald:Sqlite:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHerald_RetentionInConfiguration_SetsThePolicyAndInterval()
    {
        using var provider = Build(new()
        {
            ["Herald:Retention:MaxAge"] = "7.00:00:00",
            ["Herald:Retention:MaxEvents"] = "1000000",
            ["Herald:RetentionInterval"] = "00:05:00",
        });

        var options = provider.GetRequiredService<HeraldOptions>();
        Assert.Equal(TimeSpan.FromDays(7), options.Retention.MaxAge);
        Assert.Equal(1_000_000, options.Retention.MaxEvents);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RetentionInterval);
    }

    [Theory]
    [InlineData("Retention:MaxAge", "a week", "Herald:Retention:MaxAge is 'a week'; expected a time span such as 7.00:00:00 (7 days) or 12:00:00 (12 hours).")]
    [InlineData("Retention:MaxEvents", "-1", "Herald:Retention:MaxEvents is '-1'; expected a whole number of events, 0 or more.")]
    [InlineData("RetentionInterval", "0", "Herald:RetentionInterval is '0'; expected a positive time span such as 00:10:00 (10 minutes).")]
    public void AddHerald_UnreadableRetentionSetting_NamesTheKeyAndWhatItExpects(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { [$"Herald:{key}"] = value }));

        Assert.Equal(message, error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddHerald(configuration.GetSection("Herald"));
        return services.BuildServiceProvider();
    }
}
