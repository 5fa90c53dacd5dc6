using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// Events per second, derived from the mean time per event (the benchmarks divide each invocation by the events it
/// appends with <c>OperationsPerInvoke</c>, so Mean is already per event).
/// </summary>
internal sealed class EventsPerSecondColumn : IColumn
{
    public string Id => nameof(EventsPerSecondColumn);

    public string ColumnName => "Events/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Events appended per second: 1 s / Mean (Mean is per event)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var nanosecondsPerEvent = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanosecondsPerEvent is > 0
            ? (1e9 / nanosecondsPerEvent.Value).ToString("N0", CultureInfo.InvariantCulture)
            : "NA";
    }

    public override string ToString() => ColumnName;
}
