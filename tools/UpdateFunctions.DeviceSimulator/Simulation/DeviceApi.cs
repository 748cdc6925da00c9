namespace UpdateFunctions.DeviceSimulator.Simulation;

/// <summary>Where the device API of a server lives.</summary>
public static class DeviceApi
{
    /// <summary>
    /// The <c>…/api/</c> base of a server URL: <c>http://127.0.0.1:7071</c> → <c>http://127.0.0.1:7071/api/</c>; a URL
    /// that already ends in <c>/api</c> is kept. Query and fragment are dropped.
    /// </summary>
    public static Uri BaseOf(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{server}' is not an absolute http(s) URL.", nameof(server));
        var path = server.AbsolutePath.TrimEnd('/');
        if (!path.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
            path += "/api";
        return new UriBuilder(server) { Path = path + "/", Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    public static Uri Updates(Uri server) => new(BaseOf(server), "updates");

    public static Uri Stats(Uri server) => new(BaseOf(server), "stats");
}
