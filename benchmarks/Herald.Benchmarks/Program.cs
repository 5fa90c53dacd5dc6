using BenchmarkDotNet.Running;
using Herald.Benchmarks.Analyzers;
using Herald.Benchmarks.Durable;

// Run all benchmarks:   dotnet run -c Release --project benchmarks/Herald.Benchmarks -- --filter '*'
// Smoke (CI):           dotnet run -c Release --project benchmarks/Herald.Benchmarks -- --job dry --filter '*'
// Durable latency:      dotnet run -c Release --project benchmarks/Herald.Benchmarks -- latency [--rate 10000] [--seconds 10] [--buffered] [--postgres | --redis]
// Analyzer telemetry:  dotnet run -c Release --project benchmarks/Herald.Benchmarks -- open-document [--edits 30] [--warmup 5]
if (args.Length > 0 && args[0] == OpenDocumentRun.Command)
    return OpenDocumentRun.Run(args[1..]);
if (args.Length > 0 && args[0] == PublishLatencyRun.Command)
    return await PublishLatencyRun.RunAsync(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
