using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpdateFunctions.Interop.Tests.CodePush;

/// <summary>
/// The real <c>AcquisitionManager</c> of npm <c>code-push@4.2.3</c> (what <c>react-native-code-push@9</c> uses), run in
/// Node by <c>tests/interop/codepush/acquisition-client.js</c> over Node's <c>http</c>: one process per batch of calls.
/// </summary>
public sealed class AcquisitionClient(Uri serverUrl)
{
    public const string PinnedVersion = "4.2.3";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static void EnsureInstalled()
    {
        InteropPackages.EnsureInstalled();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(InteropPackages.Directory, "node_modules", "code-push", "package.json")))!;
        if (manifest["version"]?.GetValue<string>() != PinnedVersion)
            throw new InvalidOperationException($"Expected code-push {PinnedVersion}, found {manifest["version"]}.");
    }

    /// <summary>A device: its deployment key, binary version and client id, as react-native-code-push configures the manager.</summary>
    public static JsonObject Config(string deploymentKey, string appVersion, string clientUniqueId) => new()
    {
        ["deploymentKey"] = deploymentKey,
        ["appVersion"] = appVersion,
        ["clientUniqueId"] = clientUniqueId,
    };

    /// <summary>The package a device runs: the binary's (no label, no hash) or a release it installed.</summary>
    public static JsonObject Package(string appVersion, string? label = null, string? packageHash = null) => new()
    {
        ["appVersion"] = appVersion,
        ["label"] = label,
        ["packageHash"] = packageHash,
    };

    public static JsonObject Check(JsonObject config, JsonObject package) =>
        new() { ["op"] = "check", ["config"] = config.DeepClone(), ["package"] = package.DeepClone() };

    /// <summary>A deploy report; a null package reports the binary itself (its first run).</summary>
    public static JsonObject Deploy(JsonObject config, JsonObject? package, string? status, string? previousLabelOrAppVersion = null) =>
        new() { ["op"] = "deploy", ["config"] = config.DeepClone(), ["package"] = package?.DeepClone(), ["status"] = status, ["previousLabelOrAppVersion"] = previousLabelOrAppVersion };

    public static JsonObject Download(JsonObject config, JsonObject package) =>
        new() { ["op"] = "download", ["config"] = config.DeepClone(), ["package"] = package.DeepClone() };

    /// <summary>Runs the calls (up to 16 at once) and returns one outcome per call, in order.</summary>
    public IReadOnlyList<AcquisitionOutcome> Run(params JsonObject[] calls)
    {
        var input = new JsonObject
        {
            ["serverUrl"] = serverUrl.ToString(),
            ["concurrency"] = 16,
            ["calls"] = new JsonArray([.. calls]),
        };
        var script = Path.Combine(InteropPackages.Directory, "codepush", "acquisition-client.js");
        var result = InteropPackages.Run("node", [script], InteropPackages.Directory, Timeout, input.ToJsonString());
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"acquisition-client.js failed ({result.ExitCode}):\n{result.Output}");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return [.. document.RootElement.EnumerateArray().Select(e => new AcquisitionOutcome(
            e.GetProperty("error").ValueKind == JsonValueKind.String ? e.GetProperty("error").GetString() : null,
            JsonNode.Parse(e.GetProperty("result").GetRawText())))];
    }

    public AcquisitionOutcome RunOne(JsonObject call) => Run(call)[0];
}

/// <summary>What the SDK's callback got: an error message, or its result (a remote package, a native update notice, null).</summary>
public sealed record AcquisitionOutcome(string? Error, JsonNode? Result)
{
    public string? Str(string name) => Result?[name]?.GetValue<string>();

    public bool Bool(string name) => Result?[name]?.GetValue<bool>() ?? false;
}
