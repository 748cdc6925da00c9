using System.Net;
using System.Text.RegularExpressions;

namespace UpdateFunctions.Console.Tests;

/// <summary>How the console's files are served: by LocalHost at /console/ and by the Functions app's own function.</summary>
[Collection(ConsoleGroup.Name)]
public sealed partial class ConsoleServingTests(ConsoleHost host)
{
    [Theory]
    [InlineData("/console/")]
    [InlineData("/api/console/")]
    public async Task The_index_is_revalidated_names_hashed_assets_and_carries_a_policy_that_allows_only_our_scripts(string path)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Matches(@"src=""assets/app-[A-Z0-9]+\.js""", s.Value));
        Assert.DoesNotMatch(@"<script[^>]*>\s*[^<\s]", html);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);

        var asset = AssetName().Match(html).Groups[1].Value;
        using var script = await client.GetAsync(new Uri(new Uri(host.BaseAddress, path), asset));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", script.Headers.CacheControl?.ToString());
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Assets_are_sent_compressed_and_answered_304_when_unchanged()
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var html = await client.GetStringAsync("/console/");
        var asset = "/console/" + AssetName().Match(html).Groups[1].Value;

        using var request = new HttpRequestMessage(HttpMethod.Get, asset);
        request.Headers.AcceptEncoding.ParseAdd("br");
        using var compressed = await client.SendAsync(request);
        var identity = await client.GetByteArrayAsync(asset);
        Assert.Equal("br", Assert.Single(compressed.Content.Headers.ContentEncoding));
        Assert.True(compressed.Content.Headers.ContentLength < identity.Length / 2);

        using var again = new HttpRequestMessage(HttpMethod.Get, asset);
        again.Headers.IfNoneMatch.Add(compressed.Headers.ETag!);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Theory]
    [InlineData("/console/../appsettings.json")]
    [InlineData("/console/assets/missing-0000.js")]
    [InlineData("/console/%2e%2e/%2e%2e/UpdateFunctions.LocalHost.dll")]
    public async Task Anything_but_a_built_file_is_404(string path)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_folder_without_its_slash_redirects_so_relative_asset_names_resolve()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        using var response = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/", response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"src=""(assets/app-[A-Z0-9]+\.js)""")]
    private static partial Regex AssetName();
}
