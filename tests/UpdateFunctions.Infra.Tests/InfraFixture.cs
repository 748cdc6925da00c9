using System.Text.Json;

namespace UpdateFunctions.Infra.Tests;

/// <summary>
/// Runs the Bicep CLI once for every test in this assembly, all commands at once:
/// <c>build</c> and <c>lint</c> of infra/main.bicep, <c>build-params</c> of infra/main.bicepparam, and two
/// <c>snapshot</c>s, which evaluate the template offline into the resources a deployment would create: one with
/// main.bicepparam as committed, one with the non-default choices (anonymous bundles, API through Front Door,
/// signed bundle URLs, always-ready instances). Snapshots write files, so they run on a copy of infra/ in a temporary folder.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000000a";
    public const string TenantId = "00000000-0000-0000-0000-00000000000b";
    public const string ResourceGroup = "rg-updatefunctions";
    public const string Location = "westeurope";

    /// <summary>Parameters of the alternative snapshot, each different from its default.</summary>
    public const string AlternativeParameters = """
        using 'main.bicep'

        param environmentName = 'alternative'
        param bundleAccess = 'AnonymousBlobRead'
        param routeApiThroughFrontDoor = true
        param signedBundleUrls = true
        param signedBundleUrlLifetime = '00:10:00'
        param httpAlwaysReadyInstanceCount = 2
        param instanceMemoryMB = 4096
        param maximumInstanceCount = 200
        param eventHubPartitionCount = 8
        param managementBootstrapKey = 'not-a-real-key'
        param consoleOrigins = ['https://console.example.com']
        """;

    private readonly string _workspace = Path.Combine(Path.GetTempPath(), "updatefunctions-infra-" + Guid.NewGuid().ToString("N"));

    public static string InfraDirectory { get; } = FindInfraDirectory();

    public BicepRun Build { get; private set; } = null!;

    public BicepRun Lint { get; private set; } = null!;

    public BicepRun BuildParams { get; private set; } = null!;

    public BicepRun DefaultSnapshotRun { get; private set; } = null!;

    public BicepRun AlternativeSnapshotRun { get; private set; } = null!;

    private ArmTemplate? _template;
    private Snapshot? _default;
    private Snapshot? _alternative;

    /// <summary>The compiled ARM template of main.bicep.</summary>
    public ArmTemplate Template => _template ?? throw Failed(Build);

    /// <summary>Resources a deployment with main.bicepparam would create.</summary>
    public Snapshot Default => _default ?? throw Failed(DefaultSnapshotRun);

    /// <summary>Resources a deployment with <see cref="AlternativeParameters"/> would create.</summary>
    public Snapshot Alternative => _alternative ?? throw Failed(AlternativeSnapshotRun);

    public async Task InitializeAsync()
    {
        CopyDirectory(InfraDirectory, _workspace);
        await File.WriteAllTextAsync(Path.Combine(_workspace, "alternative.bicepparam"), AlternativeParameters);

        var build = BicepCli.RunAsync(InfraDirectory, "build", "main.bicep", "--stdout");
        var lint = BicepCli.RunAsync(InfraDirectory, "lint", "main.bicep");
        var buildParams = BicepCli.RunAsync(InfraDirectory, "build-params", "main.bicepparam", "--stdout");
        var defaultSnapshot = SnapshotAsync("main.bicepparam");
        var alternativeSnapshot = SnapshotAsync("alternative.bicepparam");
        await Task.WhenAll(build, lint, buildParams, defaultSnapshot, alternativeSnapshot);

        Build = await build;
        Lint = await lint;
        BuildParams = await buildParams;
        DefaultSnapshotRun = await defaultSnapshot;
        AlternativeSnapshotRun = await alternativeSnapshot;

        // A template that does not compile fails every test that reads it, with the compiler's diagnostics.
        if (Build.ExitCode == 0)
            _template = new ArmTemplate(Parse(Build.StandardOutput));
        if (DefaultSnapshotRun.ExitCode == 0)
            _default = new Snapshot(Parse(await File.ReadAllTextAsync(Path.Combine(_workspace, "main.snapshot.json"))));
        if (AlternativeSnapshotRun.ExitCode == 0)
            _alternative = new Snapshot(Parse(await File.ReadAllTextAsync(Path.Combine(_workspace, "alternative.snapshot.json"))));
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_workspace))
            Directory.Delete(_workspace, recursive: true);
        return Task.CompletedTask;
    }

    private Task<BicepRun> SnapshotAsync(string parametersFile) => BicepCli.RunAsync(
        _workspace, "snapshot", parametersFile, "--mode", "overwrite",
        "--subscription-id", SubscriptionId, "--tenant-id", TenantId,
        "--resource-group", ResourceGroup, "--location", Location, "--deployment-name", "main");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static InvalidOperationException Failed(BicepRun run) =>
        new($"bicep {run.Arguments} exited with {run.ExitCode}:{Environment.NewLine}{run.Diagnostics}");

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".snapshot.json", StringComparison.Ordinal))
                continue;
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }

    private static string FindInfraDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var infra = Path.Combine(directory.FullName, "infra");
            if (File.Exists(Path.Combine(infra, "main.bicep")))
                return infra;
        }

        throw new DirectoryNotFoundException($"No infra/main.bicep above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class InfraGroup : ICollectionFixture<InfraFixture>
{
    public const string Name = "Infra";
}
