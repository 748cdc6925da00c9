using UpdateFunctions.Core.Management;

namespace UpdateFunctions.LocalHost.Hosting;

/// <summary>
/// The bootstrap admin key LocalHost generates when <c>Management:BootstrapKey</c> is not configured: printed in the
/// banner and written to <c>.run/bootstrap-key</c> under the current directory, where scripts and the CLI tour read it
/// (<c>updatectl login http://127.0.0.1:7071 --key "$(cat .run/bootstrap-key)"</c>).
/// </summary>
public sealed class LocalBootstrapKey
{
    public const string FileName = ".run/bootstrap-key";

    private readonly string _generated = ApiKeySecrets.Mint().Secret;
    private int _used;

    /// <summary>The generated key when it is in use (nothing was configured), else null.</summary>
    public string? Key => Volatile.Read(ref _used) == 1 ? _generated : null;

    /// <summary>Where the key was written, when it was.</summary>
    public string? FilePath { get; private set; }

    internal static WebApplicationBuilder AddLocalBootstrapKey(WebApplicationBuilder builder)
    {
        var holder = new LocalBootstrapKey();
        builder.Services.AddSingleton(holder);
        // Decided when options are built, so a key configured after this point (tests, command line) still wins.
        builder.Services.PostConfigure<ManagementOptions>(options =>
        {
            if (!string.IsNullOrEmpty(options.BootstrapKey))
                return;
            options.BootstrapKey = holder._generated;
            if (Interlocked.Exchange(ref holder._used, 1) == 0)
                holder.FilePath = Write(holder._generated, builder.Configuration["LocalHost:BootstrapKeyFile"]);
        });
        return builder;
    }

    /// <param name="configuredPath">
    /// <c>LocalHost:BootstrapKeyFile</c>; <c>./run.sh</c> sets it to the repository's <c>.run/bootstrap-key</c>, since
    /// <c>dotnet run --project</c> starts in the project's folder.
    /// </param>
    private static string Write(string key, string? configuredPath)
    {
        var path = string.IsNullOrEmpty(configuredPath) ? Path.Combine(Directory.GetCurrentDirectory(), FileName) : Path.GetFullPath(configuredPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
