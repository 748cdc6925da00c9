using BenchmarkDotNet.Running;
using UpdateFunctions.Benchmarks;

// Every benchmark class of this assembly; pick with --filter:
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- --filter '*TelemetryFold*' --job short
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- --filter '*UpdateCheck*' --job short
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- --filter '*PartialUpdate*' '*ManifestCompression*' --job short
// The catalog read path at scale, against its own Azurite on ports 21700/21702 (README "Performance"):
//   dotnet run -c Release --project bench/UpdateFunctions.Benchmarks -- catalog-scale --devices 10000,100000 --cold-only 1000000
if (args.Length > 0 && args[0] == "catalog-scale")
    return await UpdateFunctions.Benchmarks.CatalogScale.CatalogScaleScenario.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(TelemetryFoldBenchmarks).Assembly).Run(args);
return 0;
