using BenchmarkDotNet.Running;
using UpdateFunctions.Benchmarks;

// Every benchmark class of this assembly; pick with --filter:
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- --filter '*TelemetryFold*' --job short
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- --filter '*UpdateCheck*' --job short
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- --filter '*PartialUpdate*' '*ManifestCompression*' --job short
BenchmarkSwitcher.FromAssembly(typeof(TelemetryFoldBenchmarks).Assembly).Run(args);
