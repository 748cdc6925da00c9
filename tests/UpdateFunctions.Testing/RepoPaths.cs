namespace UpdateFunctions.Testing;

/// <summary>Finds files of the repository (samples, infra) from a test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string DemoSeed => Path.Combine(Root, "samples", "demo-seed.json");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UpdateFunctions.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No UpdateFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
