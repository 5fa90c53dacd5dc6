using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Herald.Benchmarks.Analyzers;

/// <summary>
/// Where the time of one open document's analysis goes, per Herald analyzer, after each of <c>--edits</c> keystrokes
/// in the 2,000-event project (<see cref="EditSession"/>): the analyzer driver's own telemetry
/// (<see cref="AnalyzerTelemetryInfo.ExecutionTime"/>, the time spent in each analyzer's actions, summed over
/// concurrent ones), which a BenchmarkDotNet row cannot separate from the driver's share. Not a BenchmarkDotNet shape
/// for that reason; <see cref="OpenDocumentBenchmarks"/> has the rows against the floor.
/// </summary>
internal static class OpenDocumentRun
{
    public const string Command = "open-document";

    private const string Usage = "usage: open-document [--edits <count>] [--warmup <count>]";

    public static int Run(string[] args)
    {
        var edits = 30;
        var warmup = 5;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--edits" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out edits) && edits > 0:
                case "--warmup" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out warmup) && warmup >= 0:
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        var session = new EditSession();
        var analyzers = EditSession.HeraldAnalyzers;
        var perAnalyzer = analyzers.ToDictionary(a => a.GetType().Name, _ => new List<double>());
        var total = new List<double>();
        var wall = new List<double>();
        for (var edit = 0; edit < warmup + edits; edit++)
        {
            session.Edit();
            session.Model.GetDiagnostics(); // the IDE has bound the document for the compiler's squiggles
            var analysis = session.Compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            var started = Stopwatch.GetTimestamp();
            var found = session.AnalyzeOpenDocument(analysis);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (found != AnalyzerProject.OpenDocumentDiagnostics)
            {
                Console.Error.WriteLine($"Herald reported {found} diagnostics in {AnalyzerProject.OpenDocument}, expected {AnalyzerProject.OpenDocumentDiagnostics}.");
                return 1;
            }
            if (edit < warmup)
                continue;
            var sum = 0.0;
            foreach (var analyzer in analyzers)
            {
                var spent = analysis.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
                perAnalyzer[analyzer.GetType().Name].Add(spent);
                sum += spent;
            }
            total.Add(sum);
            wall.Add(elapsed);
        }

        Console.WriteLine($"{AnalyzerProject.OpenDocument} of {AnalyzerProject.EventCount} events, {edits} edits after {warmup} for warm-up; time in each analyzer's actions (ms):");
        Console.WriteLine($"{"analyzer",-28} {"median",8} {"mean",8} {"max",8}");
        foreach (var (name, times) in perAnalyzer.OrderByDescending(p => p.Value.Sum()))
            Print(name, times);
        Print("all Herald analyzers", total);
        Print("whole analysis (wall)", wall);
        return 0;
    }

    private static void Print(string name, List<double> times)
    {
        var sorted = times.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-28} {median,8:F1} {sorted.Average(),8:F1} {sorted[^1],8:F1}"));
    }
}
