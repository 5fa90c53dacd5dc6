using BenchmarkDotNet.Running;

// Run all benchmarks:   dotnet run -c Release --project benchmarks/Herald.Benchmarks -- --filter '*'
// Smoke (CI):           dotnet run -c Release --project benchmarks/Herald.Benchmarks -- --job dry --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
