using BenchmarkDotNet.Running;

// Herald next to Wolverine on PostgreSQL (benchmarks/README.md, "Herald next to Wolverine on PostgreSQL (issue 10)"),
// with HERALD_TEST_POSTGRES set as eng/servers/postgres.sh start <folder> prints it:
//   dotnet run -c Release --project benchmarks/Herald.Benchmarks.Wolverine -- --filter '*WolverineComparisonBenchmarks*' \
//     --warmupCount 1 --iterationCount 5 --launchCount 1
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
