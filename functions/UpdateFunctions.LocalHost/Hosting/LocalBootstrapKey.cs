using UpdateFunctions.Core.Management;

namespace UpdateFunctions.LocalHost.Hosting;

/// <summary>
/// The bootstrap admin key LocalHost uses when <c>Management:BootstrapKey</c> is not configured: the one already in its
/// key file (<c>LocalHost:BootstrapKeyFile</c>, else <c>.run/bootstrap-key</c> under the current directory) when there
/// is one, so a restart keeps working logins, else a new one written there. Printed in the banner; scripts and the CLI
/// tour read the file (<c>updatectl login http://127.0.0.1:7071 --key "$(cat .run/bootstrap-key)"</c>).
/// </summary>
public sealed class LocalBootstrapKey
{
    public const string FileName = ".run/bootstrap-key";

    private string? _key;

    /// <summary>The key LocalHost made or kept, when it is in use (nothing was configured), else null.</summary>
    public string? Key => Volatile.Read(ref _key);

    /// <summary>Where the key is kept, when it is in use.</summary>
    public string? FilePath { get; private set; }

    /// <summary>Whether the key was read from its file (a restart) rather than generated now.</summary>
    public bool Kept { get; private set; }

    internal static WebApplicationBuilder AddLocalBootstrapKey(WebApplicationBuilder builder)
    {
        var holder = new LocalBootstrapKey();
        builder.Services.AddSingleton(holder);
        // Decided when options are built, so a key configured after this point (tests, command line) still wins.
        builder.Services.PostConfigure<ManagementOptions>(options =>
        {
            if (!string.IsNullOrEmpty(options.BootstrapKey))
                return;
            lock (holder)
            {
                if (holder._key is null)
                {
                    var path = PathOf(builder.Configuration["LocalHost:BootstrapKeyFile"]);
                    var kept = Read(path);
                    var key = kept ?? ApiKeySecrets.Mint().Secret;
                    if (kept is null)
                        Write(key, path);
                    (holder.FilePath, holder.Kept) = (path, kept is not null);
                    Volatile.Write(ref holder._key, key);
                }
                options.BootstrapKey = holder._key;
            }
        });
        return builder;
    }

    /// <param name="configuredPath">
    /// <c>LocalHost:BootstrapKeyFile</c>; <c>./run.sh</c> sets it to the repository's <c>.run/bootstrap-key</c>, since
    /// <c>dotnet run --project</c> starts in the project's folder.
    /// </param>
    private static string PathOf(string? configuredPath) =>
        string.IsNullOrEmpty(configuredPath) ? Path.Combine(Directory.GetCurrentDirectory(), FileName) : Path.GetFullPath(configuredPath);

    /// <summary>The key in the file when it holds one that could have been minted here, else null.</summary>
    private static string? Read(string path)
    {
        if (!File.Exists(path))
            return null;
        var text = File.ReadAllText(path).Trim();
        return text.StartsWith("uf_", StringComparison.Ordinal) && text.Length >= 40 && !text.Any(char.IsWhiteSpace) ? text : null;
    }

    private static void Write(string key, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
