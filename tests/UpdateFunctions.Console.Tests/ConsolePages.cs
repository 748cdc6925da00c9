using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace UpdateFunctions.Console.Tests;

/// <summary>What the tests do in the console, the way a person does it.</summary>
internal static class ConsolePages
{
    public static async Task SignInAsync(this WatchedPage watched, ConsoleHost host, string key)
    {
        var page = watched.Page;
        await page.GotoAsync(host.ConsoleUrl.ToString());
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByLabel("API key").PressAsync("Enter");
    }

    public static async Task GoAsync(this WatchedPage watched, ConsoleHost host, string route)
    {
        await watched.Page.GotoAsync(new Uri(host.ConsoleUrl, "#/" + route).ToString());
    }

    /// <summary>Clicks the confirmation dialog's confirm button.</summary>
    public static async Task ConfirmAsync(this IPage page)
    {
        var dialog = page.Locator("dialog[open]");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator("button[value=ok]").ClickAsync();
        await Expect(page.Locator("dialog[open]")).ToHaveCountAsync(0);
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public static async Task<JsonNode> PostJsonAsync(this HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
