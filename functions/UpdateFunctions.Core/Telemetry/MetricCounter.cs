namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// One counter of a metrics row: one per action the plugin sends (docs/protocol.md, <c>POST /api/stats</c>), the ten
/// <c>download_N</c> progress steps folded into <see cref="DownloadProgress"/>, and <see cref="Other"/> for actions
/// we do not know. The member names are stored as Table property names: append, never rename or renumber.
/// </summary>
public enum MetricCounter
{
    // Bundle state.
    /// <summary><c>set</c>: the bundle was installed (made current). The "installs" of the gate maths.</summary>
    Set,
    SetFail,
    SetNext,
    Reset,
    Delete,
    /// <summary><c>update_fail</c>: the bundle was set but did not call <c>notifyAppReady</c>; the device rolled back.</summary>
    UpdateFail,

    // Downloads.
    /// <summary><c>download_0</c> … <c>download_90</c>.</summary>
    DownloadProgress,
    DownloadComplete,
    DownloadFail,
    DownloadZipStart,
    DownloadZipComplete,
    DownloadManifestStart,
    DownloadManifestComplete,

    // Failure details (the plugin reports a terminal download_fail as well; see MetricCounters.Failures).
    DownloadManifestFileFail,
    DownloadManifestChecksumFail,
    DownloadManifestBrotliFail,
    ManifestPathFail,
    FinishDownloadFail,
    ChecksumFail,
    ChecksumRequired,
    SessionKeyRequired,
    DecryptFail,
    UnzipFail,
    WindowsPathFail,
    CanonicalPathFail,
    DirectoryPathFail,
    LowMemFail,
    InsufficientDiskSpace,

    // Lifecycle.
    AppLaunchStart,
    AppLaunchReady,
    AppLaunchTimeout,
    /// <summary><c>app_moved_to_foreground</c>: a session starts.</summary>
    AppMovedToForeground,
    AppMovedToBackground,

    // App health.
    AppCrash,
    AppCrashNative,
    AppAnr,
    AppKilledLowMemory,
    WebviewJavascriptError,
    WebviewRenderProcessGone,

    // Control and environment.
    RateLimitReached,
    BlockedByServerUrl,
    OsVersionChanged,
    NativeAppVersionChanged,

    /// <summary>Any action not listed above. Never an error.</summary>
    Other,
}

/// <summary>Maps a plugin action to its counter.</summary>
public static class StatsActions
{
    /// <summary>Number of <see cref="MetricCounter"/> values; counters are stored in arrays of this length.</summary>
    public const int CounterCount = (int)MetricCounter.Other + 1;

    private static readonly string[] Names = Enum.GetNames<MetricCounter>();

    /// <summary>The stored (Table property) name of a counter.</summary>
    public static string StorageName(MetricCounter counter) => Names[(int)counter];

    /// <summary>The counter an action increments; unknown actions map to <see cref="MetricCounter.Other"/>.</summary>
    public static MetricCounter Classify(string? action) => action switch
    {
        "set" => MetricCounter.Set,
        "set_fail" => MetricCounter.SetFail,
        "set_next" => MetricCounter.SetNext,
        "reset" => MetricCounter.Reset,
        "delete" => MetricCounter.Delete,
        "update_fail" => MetricCounter.UpdateFail,
        "download_complete" => MetricCounter.DownloadComplete,
        "download_fail" => MetricCounter.DownloadFail,
        "download_zip_start" => MetricCounter.DownloadZipStart,
        "download_zip_complete" => MetricCounter.DownloadZipComplete,
        "download_manifest_start" => MetricCounter.DownloadManifestStart,
        "download_manifest_complete" => MetricCounter.DownloadManifestComplete,
        "download_manifest_file_fail" => MetricCounter.DownloadManifestFileFail,
        "download_manifest_checksum_fail" => MetricCounter.DownloadManifestChecksumFail,
        "download_manifest_brotli_fail" => MetricCounter.DownloadManifestBrotliFail,
        "manifest_path_fail" => MetricCounter.ManifestPathFail,
        "finish_download_fail" => MetricCounter.FinishDownloadFail,
        "checksum_fail" => MetricCounter.ChecksumFail,
        "checksum_required" => MetricCounter.ChecksumRequired,
        "session_key_required" => MetricCounter.SessionKeyRequired,
        "decrypt_fail" => MetricCounter.DecryptFail,
        "unzip_fail" => MetricCounter.UnzipFail,
        "windows_path_fail" => MetricCounter.WindowsPathFail,
        "canonical_path_fail" => MetricCounter.CanonicalPathFail,
        "directory_path_fail" => MetricCounter.DirectoryPathFail,
        "low_mem_fail" => MetricCounter.LowMemFail,
        "insufficient_disk_space" => MetricCounter.InsufficientDiskSpace,
        "app_launch_start" => MetricCounter.AppLaunchStart,
        "app_launch_ready" => MetricCounter.AppLaunchReady,
        "app_launch_timeout" => MetricCounter.AppLaunchTimeout,
        "app_moved_to_foreground" => MetricCounter.AppMovedToForeground,
        "app_moved_to_background" => MetricCounter.AppMovedToBackground,
        "app_crash" => MetricCounter.AppCrash,
        "app_crash_native" => MetricCounter.AppCrashNative,
        "app_anr" => MetricCounter.AppAnr,
        "app_killed_low_memory" => MetricCounter.AppKilledLowMemory,
        "webview_javascript_error" => MetricCounter.WebviewJavascriptError,
        "webview_render_process_gone" => MetricCounter.WebviewRenderProcessGone,
        "rate_limit_reached" => MetricCounter.RateLimitReached,
        "blocked_by_server_url" => MetricCounter.BlockedByServerUrl,
        "os_version_changed" => MetricCounter.OsVersionChanged,
        "native_app_version_changed" => MetricCounter.NativeAppVersionChanged,
        _ when IsDownloadProgress(action) => MetricCounter.DownloadProgress,
        _ => MetricCounter.Other,
    };

    /// <summary>
    /// Whether an event with this counter shows the device <em>running</em> the event's bundle, so it counts the
    /// device in that bundle's unique-device sketch (the numerator of adoption). Downloads and download or
    /// install failures name a bundle the device is not (yet) running, so they do not.
    /// </summary>
    public static bool MarksActiveDevice(MetricCounter counter) => counter switch
    {
        MetricCounter.Set
            or MetricCounter.AppLaunchStart or MetricCounter.AppLaunchReady or MetricCounter.AppLaunchTimeout
            or MetricCounter.AppMovedToForeground or MetricCounter.AppMovedToBackground
            or MetricCounter.AppCrash or MetricCounter.AppCrashNative or MetricCounter.AppAnr
            or MetricCounter.AppKilledLowMemory or MetricCounter.WebviewJavascriptError
            or MetricCounter.WebviewRenderProcessGone
            or MetricCounter.RateLimitReached or MetricCounter.BlockedByServerUrl
            or MetricCounter.OsVersionChanged or MetricCounter.NativeAppVersionChanged => true,
        _ => false,
    };

    // download_0 … download_90 (any download_<digits>).
    private static bool IsDownloadProgress(string? action) =>
        action is { Length: > 9 } && action.StartsWith("download_", StringComparison.Ordinal)
        && !action.AsSpan(9).ContainsAnyExceptInRange('0', '9');
}
